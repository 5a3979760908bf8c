package io.memtrace.agent.redis;

import java.util.List;

/**
 * Reads a command as a client writes it on the wire, a RESP array of bulk strings
 * ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}), back into its words. A client that keeps a command's
 * arguments as objects and encodes them only when it writes them (Lettuce) is decoded by encoding
 * the command again and reading that.
 */
public final class RespCommand {

  private RespCommand() {
  }

  /**
   * Appends the words of the command in {@code bytes[offset, offset + length)} to {@code out}.
   *
   * @return false, leaving what was read so far in {@code out}, when the bytes are not a whole
   *     RESP array of bulk strings
   */
  public static boolean parse(byte[] bytes, int offset, int length, List<byte[]> out) {
    int end = offset + length;
    int[] position = {offset};
    if (length == 0 || bytes[offset] != '*') {
      return false;
    }
    position[0]++;
    long count = number(bytes, position, end);
    for (long i = 0; i < count; i++) {
      if (position[0] >= end || bytes[position[0]] != '$') {
        return false;
      }
      position[0]++;
      long size = number(bytes, position, end);
      int start = position[0];
      if (size < 0 || start + size + 2 > end) {
        return false;
      }
      byte[] word = new byte[(int) size];
      System.arraycopy(bytes, start, word, 0, (int) size);
      out.add(word);
      position[0] = start + (int) size + 2; // the CRLF after the bulk
    }
    return count >= 0;
  }

  /** A decimal number ended by CRLF at {@code position[0]}, moved past it; -1 when malformed. */
  private static long number(byte[] bytes, int[] position, int end) {
    long value = 0;
    int i = position[0];
    int digits = 0;
    while (i < end && bytes[i] >= '0' && bytes[i] <= '9' && digits < 18) {
      value = value * 10 + (bytes[i++] - '0');
      digits++;
    }
    if (digits == 0 || i + 1 >= end || bytes[i] != '\r' || bytes[i + 1] != '\n') {
      position[0] = end;
      return -1;
    }
    position[0] = i + 2;
    return value;
  }
}
