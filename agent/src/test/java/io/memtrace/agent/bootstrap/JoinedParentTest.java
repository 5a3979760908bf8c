package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JoinedParentTest {

  private final JoinedParent parent = new JoinedParent();

  @Test
  void shouldParseTheApisHexIdsIntoMemtracesLongs() {
    assertThat(parent.setHex("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", true)).isTrue();

    JoinedParents.assertTheW3cExample(parent, true);
  }

  @Test
  void shouldTakeAllOnesWhichLookLikeTheParsersFailureValue() {
    assertThat(parent.setHex("ffffffffffffffffFFFFFFFFFFFFFFFF", "ffffffffffffffff", false)).isTrue();

    assertThat(parent.traceIdHigh()).isEqualTo(-1L);
    assertThat(parent.traceIdLow()).isEqualTo(-1L);
    assertThat(parent.spanId()).isEqualTo(-1L);
    assertThat(parent.sampled()).isFalse();
  }

  @Test
  void shouldRefuseMalformedOrInvalidIdsAndKeepWhatItHeld() {
    parent.set(1, 2, 3, true);

    assertThat(parent.setHex("00000000000000000000000000000000", "b7ad6b7169203331", true)).as("zero trace").isFalse();
    assertThat(parent.setHex("0af7651916cd43dd8448eb211c80319c", "0000000000000000", true)).as("zero span").isFalse();
    assertThat(parent.setHex("0af7651916cd43dd8448eb211c80319", "b7ad6b7169203331", true)).as("short").isFalse();
    assertThat(parent.setHex("0af7651916cd43dd8448eb211c80319g", "b7ad6b7169203331", true)).as("not hex").isFalse();
    assertThat(parent.setHex(null, "b7ad6b7169203331", true)).isFalse();

    assertThat(parent.traceIdHigh()).isEqualTo(1);
    assertThat(parent.traceIdLow()).isEqualTo(2);
    assertThat(parent.spanId()).isEqualTo(3);
  }
}
