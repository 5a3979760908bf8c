package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

/** Joined parents as the tests build them from the W3C trace-context example's ids. */
public final class JoinedParents {

  private JoinedParents() {
  }

  /** {@code parent} holds the example's trace 0af7651916cd43dd8448eb211c80319c and span b7ad6b7169203331. */
  public static void assertTheW3cExample(JoinedParent parent, boolean sampled) {
    assertThat(parent.traceIdHigh()).isEqualTo(0x0af7651916cd43ddL);
    assertThat(parent.traceIdLow()).isEqualTo(0x8448eb211c80319cL);
    assertThat(parent.spanId()).isEqualTo(0xb7ad6b7169203331L);
    assertThat(parent.sampled()).isEqualTo(sampled);
  }
}
