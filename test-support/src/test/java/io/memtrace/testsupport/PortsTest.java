package io.memtrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Several ports for one server are distinct, and free when handed out. */
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
}
