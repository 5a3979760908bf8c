package io.memtrace.collector.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body without ever holding more than the limit: the declared length is checked
 * before reading, and a gzip body is inflated only until it passes the limit, so a small
 * compressed bomb costs at most {@code limit} bytes of memory.
 */
public final class RequestBody {

  private RequestBody() {
  }

  /** The bytes as received (forwarded as they are) and as decoded (parsed here). */
  public record Body(byte[] raw, byte[] content) {
  }

  /**
   * @param declaredLength the Content-Length, or -1 when the body is chunked
   * @param encoding the Content-Encoding header, or null
   */
  public static Body read(InputStream in, long declaredLength, String encoding, long limit)
      throws IOException, PayloadException {
    if (declaredLength > limit) {
      throw new PayloadException(PayloadException.TOO_LARGE,
          "request body of " + declaredLength + " bytes exceeds the limit of " + limit + " bytes");
    }
    byte[] raw = readLimited(in, declaredLength, limit, "request body");
    if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
      return new Body(raw, raw);
    }
    if (!encoding.trim().equalsIgnoreCase("gzip")) {
      throw new PayloadException(PayloadException.UNSUPPORTED_MEDIA_TYPE,
          "unsupported Content-Encoding '" + encoding + "'; send gzip or identity");
    }
    try (InputStream gunzip = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
      return new Body(raw, readLimited(gunzip, -1, limit, "decompressed request body"));
    } catch (ZipException | java.io.EOFException e) {
      throw PayloadException.bad("Content-Encoding is gzip but the body is not valid gzip: " + e.getMessage());
    }
  }

  /** Reads and drops what is left of a refused body, up to {@code max} bytes. */
  public static void discard(InputStream in, long max) {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    try {
      int n;
      while (total < max && (n = in.read(buffer)) > 0) {
        total += n;
      }
    } catch (IOException ignored) {
      // the sender went away; nothing left to answer
    }
  }

  /** {@code expected}, the declared length or -1, sizes the buffer so a batch is not copied over and over as it grows. */
  private static byte[] readLimited(InputStream in, long expected, long limit, String what)
      throws IOException, PayloadException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(expected > 0 ? (int) expected : 8192);
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      total += n;
      if (total > limit) {
        throw new PayloadException(PayloadException.TOO_LARGE, what + " exceeds the limit of " + limit + " bytes");
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }
}
