package io.memtrace.agent.fingerprint;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit hash, fed in pieces and reused call after
 * call without allocating. One instance belongs to one thread (the consumer's); {@link #reset} starts a
 * message, {@link #update} feeds it, {@link #finish} ends it.
 */
public final class SipHash24 {

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final long k0;
  private final long k1;
  private long v0;
  private long v1;
  private long v2;
  private long v3;
  /** Bytes fed but not yet compressed, little-endian, {@link #pending} of them. */
  private long tail;
  private int pending;
  private long length;

  /** @param k0 the key's first eight bytes read little-endian; {@code k1} the last eight */
  public SipHash24(long k0, long k1) {
    this.k0 = k0;
    this.k1 = k1;
    reset();
  }

  /** A hasher keyed by 16 bytes, as the reference implementation reads them. */
  public static SipHash24 keyed(byte[] key16) {
    if (key16.length != 16) {
      throw new IllegalArgumentException("a SipHash key is 16 bytes, not " + key16.length);
    }
    return new SipHash24((long) LONGS.get(key16, 0), (long) LONGS.get(key16, 8));
  }

  /** Starts a new message. */
  public SipHash24 reset() {
    v0 = k0 ^ 0x736f6d6570736575L;
    v1 = k1 ^ 0x646f72616e646f6dL;
    v2 = k0 ^ 0x6c7967656e657261L;
    v3 = k1 ^ 0x7465646279746573L;
    tail = 0;
    pending = 0;
    length = 0;
    return this;
  }

  public SipHash24 update(byte b) {
    tail |= (b & 0xFFL) << (8 * pending);
    length++;
    if (++pending == 8) {
      compress(tail);
      tail = 0;
      pending = 0;
    }
    return this;
  }

  public SipHash24 update(byte[] bytes, int offset, int count) {
    int i = offset;
    int end = offset + count;
    while (pending != 0 && i < end) {
      update(bytes[i++]);
    }
    int words = i;
    // the words in locals: the state stays in registers rather than going through the fields each word
    long a = v0;
    long b = v1;
    long c = v2;
    long d = v3;
    for (; i + 8 <= end; i += 8) {
      long m = (long) LONGS.get(bytes, i);
      d ^= m;
      for (int r = 0; r < 2; r++) {
        a += b;
        b = Long.rotateLeft(b, 13) ^ a;
        a = Long.rotateLeft(a, 32);
        c += d;
        d = Long.rotateLeft(d, 16) ^ c;
        a += d;
        d = Long.rotateLeft(d, 21) ^ a;
        c += b;
        b = Long.rotateLeft(b, 17) ^ c;
        c = Long.rotateLeft(c, 32);
      }
      a ^= m;
    }
    v0 = a;
    v1 = b;
    v2 = c;
    v3 = d;
    length += i - words; // update(byte) counts its own
    while (i < end) {
      update(bytes[i++]);
    }
    return this;
  }

  /** Feeds {@code buffer}'s remaining bytes without moving its position. */
  public SipHash24 update(ByteBuffer buffer) {
    for (int i = buffer.position(); i < buffer.limit(); i++) {
      update(buffer.get(i));
    }
    return this;
  }

  /** Feeds four bytes, big-endian: a length that keeps the pieces of one message apart. */
  public SipHash24 updateInt(int n) {
    return update((byte) (n >>> 24)).update((byte) (n >>> 16)).update((byte) (n >>> 8)).update((byte) n);
  }

  /** The hash of everything fed since {@link #reset}; the instance must be reset before it is fed again. */
  public long finish() {
    long last = ((length & 0xFF) << 56) | tail;
    compress(last);
    v2 ^= 0xFF;
    round();
    round();
    round();
    round();
    return v0 ^ v1 ^ v2 ^ v3;
  }

  private void compress(long m) {
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }

  private void round() {
    v0 += v1;
    v1 = Long.rotateLeft(v1, 13);
    v1 ^= v0;
    v0 = Long.rotateLeft(v0, 32);
    v2 += v3;
    v3 = Long.rotateLeft(v3, 16);
    v3 ^= v2;
    v0 += v3;
    v3 = Long.rotateLeft(v3, 21);
    v3 ^= v0;
    v2 += v1;
    v1 = Long.rotateLeft(v1, 17);
    v1 ^= v2;
    v2 = Long.rotateLeft(v2, 32);
  }
}
