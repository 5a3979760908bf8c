package io.memtrace.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.CollectorException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Which ports {@code serve} asks for, from what its command line names; the binding itself is ServePortsIT's. */
class ServePortsTest {

  @Test
  void shouldTakeBothOtlpPortsWhenNeitherIsNamed() {
    ServePorts ports = parse();

    assertThat(ports.http()).isEqualTo(4318);
    assertThat(ports.grpc()).isEqualTo(4317);
    assertThat(ports.describeGrpc("127.0.0.1", 4317)).isEqualTo(" and OTLP/gRPC on 127.0.0.1:4317");
  }

  @Test
  void shouldAskForAFreeGrpcPortWhenOnlyTheHttpPortIsNamed() {
    ServePorts ports = parse("--port", "5001");

    assertThat(ports.http()).isEqualTo(5001);
    assertThat(ports.grpc()).as("0: any free port").isZero();
    assertThat(ports.describeGrpc("127.0.0.1", 40123))
        .isEqualTo(" and OTLP/gRPC on 127.0.0.1:40123 (a free port: --port was given without --grpc-port)");
  }

  @Test
  void shouldCountAnHttpPortAsNamedEvenWhenItIsTheDefaultOne() {
    assertThat(parse("--port", "4318").grpc()).isZero();
  }

  @Test
  void shouldKeepANamedGrpcPortWithOrWithoutTheHttpPort() {
    assertThat(parse("--grpc-port", "4400").grpc()).isEqualTo(4400);
    assertThat(parse("--grpc-port", "4400").http()).isEqualTo(4318);
    assertThat(parse("--port", "5001", "--grpc-port", "4317").grpc()).isEqualTo(4317);
    assertThat(parse("--port", "5001", "--grpc-port", "4317").describeGrpc("0.0.0.0", 4317))
        .isEqualTo(" and OTLP/gRPC on 0.0.0.0:4317");
    assertThat(parse("--grpc-port", "0").describeGrpc("127.0.0.1", 40123))
        .isEqualTo(" and OTLP/gRPC on 127.0.0.1:40123 (a free port)");
  }

  @Test
  void shouldTurnGrpcOffAndSaySo() {
    ServePorts ports = parse("--port", "5001", "--grpc-port", "OFF");

    assertThat(ports.grpc()).isNull();
    assertThat(ports.describeGrpc("127.0.0.1", -1)).isEqualTo("; no OTLP/gRPC (--grpc-port off)");
  }

  @Test
  void shouldRefuseAGrpcPortThatIsNoPort() {
    assertThatThrownBy(() -> parse("--grpc-port", "65536").grpc()).isInstanceOf(CollectorException.class)
        .hasMessage("--grpc-port must be a port number (0 to 65535) or off, got '65536'");
    assertThatThrownBy(() -> parse("--grpc-port", "grpc").grpc()).isInstanceOf(CollectorException.class)
        .hasMessageContaining("got 'grpc'");
  }

  private static ServePorts parse(String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(args);
    return serve.ports;
  }
}
