package io.memtrace.agent.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SipHash24Test {

  /** The reference key of the SipHash paper and its test vectors: bytes 00 01 .. 0f. */
  private static final long K0 = 0x0706050403020100L;
  private static final long K1 = 0x0f0e0d0c0b0a0908L;

  private static byte[] counting(int n) {
    byte[] m = new byte[n];
    for (int i = 0; i < n; i++) {
      m[i] = (byte) i;
    }
    return m;
  }

  private static long hash(int n) {
    byte[] m = counting(n);
    return new SipHash24(K0, K1).update(m, 0, n).finish();
  }

  @Test
  void shouldGiveTheReferenceVectors() {
    // the paper's appendix A example (15 bytes), and the reference implementation's vectors for other
    // lengths (the same values Guava's Hashing.sipHash24 gives): empty, under, at and over one 8-byte word
    assertThat(hash(15)).isEqualTo(0xa129ca6149be45e5L);
    assertThat(hash(0)).isEqualTo(0x726fdb47dd0e0e31L);
    assertThat(hash(1)).isEqualTo(0x74f839c593dc67fdL);
    assertThat(hash(7)).isEqualTo(0xab0200f58b01d137L);
    assertThat(hash(8)).isEqualTo(0x93f5f5799a932462L);
    assertThat(hash(9)).isEqualTo(0x9e0082df0ba9e4b0L);
    assertThat(hash(16)).isEqualTo(0x3f2acc7f57c29bdbL);
    assertThat(hash(63)).isEqualTo(0x958a324ceb064572L);
  }

  @Test
  void shouldReadTheKeyAsTheReferenceImplementationDoes() {
    assertThat(SipHash24.keyed(counting(16)).update(counting(15), 0, 15).finish()).isEqualTo(0xa129ca6149be45e5L);
  }

  @Test
  void shouldGiveTheSameHashWhateverPiecesTheMessageIsFedIn() {
    byte[] m = counting(63);
    SipHash24 pieces = new SipHash24(K0, K1);
    pieces.update(m, 0, 3).update(m, 3, 10).update(m[13]).update(m, 14, 30).update(ByteBuffer.wrap(m, 44, 19));
    assertThat(pieces.finish()).isEqualTo(0x958a324ceb064572L);
  }

  @Test
  void shouldStartAfreshAfterReset() {
    SipHash24 h = new SipHash24(K0, K1);
    h.update(counting(40), 0, 40).finish();
    assertThat(h.reset().update(counting(15), 0, 15).finish()).isEqualTo(0xa129ca6149be45e5L);
  }

  @Test
  void shouldNotMoveABufferItReads() {
    ByteBuffer buffer = ByteBuffer.wrap(counting(20));
    buffer.position(5);
    new SipHash24(K0, K1).update(buffer).finish();
    assertThat(buffer.position()).isEqualTo(5);
    assertThat(buffer.remaining()).isEqualTo(15);
  }
}
