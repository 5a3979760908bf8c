package io.memtrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Several ports for one server are distinct and free when handed out; a refusing port refuses and cannot be taken. */
class PortsTest {

  @Test
  void shouldHandOutDistinctPortsEachOfWhichCanBeBound() throws IOException {
    for (int round = 0; round < 20; round++) {
      int[] ports = Ports.free(5);
      assertThat(Arrays.stream(ports).distinct().count()).as("round %d: %s", round, Arrays.toString(ports)).isEqualTo(5);
      for (int port : ports) {
        try (ServerSocket bound = new ServerSocket(port)) {
          assertThat(bound.getLocalPort()).isEqualTo(port);
        }
      }
    }
  }

  @Test
  void shouldRefuseConnectionsAndKeepOtherServersOffARefusingPort() throws IOException {
    try (Ports.Refusing refusing = Ports.refusing()) {
      assertThatThrownBy(() -> {
        try (Socket client = new Socket()) {
          client.connect(new InetSocketAddress("127.0.0.1", refusing.port()), 2000);
        }
      }).isInstanceOf(ConnectException.class);
      assertThatThrownBy(() -> new ServerSocket(refusing.port()).close()).as("taken while the handle is open")
          .isInstanceOf(BindException.class);
    }
  }
}
