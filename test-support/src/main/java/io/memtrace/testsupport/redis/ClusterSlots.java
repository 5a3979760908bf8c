package io.memtrace.testsupport.redis;

import java.nio.charset.StandardCharsets;

/**
 * Which of Redis Cluster's 16384 hash slots a key belongs to: CRC16 (the XMODEM variant: polynomial 0x1021, initial
 * value 0) of the key, or of its hash tag, the part between the first {@code {} and the next {@code }} when that part
 * is not empty, modulo 16384. Written here so that a test can place keys on the node it means without asking a client
 * under test.
 */
public final class ClusterSlots {

  public static final int COUNT = 16384;

  private ClusterSlots() {
  }

  public static int of(String key) {
    return of(key.getBytes(StandardCharsets.UTF_8));
  }

  public static int of(byte[] key) {
    int start = 0;
    int end = key.length;
    int open = indexOf(key, (byte) '{', 0);
    if (open >= 0) {
      int close = indexOf(key, (byte) '}', open + 1);
      if (close > open + 1) {
        start = open + 1;
        end = close;
      }
    }
    return crc16(key, start, end) % COUNT;
  }

  /** CRC16/XMODEM of {@code bytes[start, end)}. */
  static int crc16(byte[] bytes, int start, int end) {
    int crc = 0;
    for (int i = start; i < end; i++) {
      crc ^= (bytes[i] & 0xff) << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      crc &= 0xffff;
    }
    return crc;
  }

  /** A key {@code prefix + n} for the smallest n whose slot is {@code slot}. */
  public static String keyIn(int slot, String prefix) {
    for (int n = 0; ; n++) {
      String key = prefix + n;
      if (of(key) == slot) {
        return key;
      }
    }
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
