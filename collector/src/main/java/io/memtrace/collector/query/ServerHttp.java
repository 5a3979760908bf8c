package io.memtrace.collector.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One request of a command to a running {@code serve}, over {@link HttpURLConnection}. The JDK's
 * {@code java.net.http} client cost a command 0.3 s of CPU and 0.5-0.7 s of wall time more for its first two requests
 * than this (a status and a report against a serve with an empty store, both clients on C1, eight runs in turn,
 * 2026-11-28, load 3.5-4): its module's classes, its selector thread and its futures, for a command that asks one or
 * two questions and exits. Redirects are not followed, and proxies are the JVM's own settings, as with that client.
 */
public final class ServerHttp {

  /** The status and the body (of an error status too; empty when there is none). */
  public record Answer(int status, byte[] body) {
  }

  private ServerHttp() {
  }

  /** {@code GET url}. */
  public static Answer get(URI url, Map<String, String> headers, Duration connect, Duration read) throws IOException {
    return send(url, "GET", headers, null, connect, read);
  }

  /** {@code POST url} with {@code body}. */
  public static Answer post(URI url, Map<String, String> headers, byte[] body, Duration connect, Duration read)
      throws IOException {
    return send(url, "POST", headers, body, connect, read);
  }

  private static Answer send(URI url, String method, Map<String, String> headers, byte[] body, Duration connect,
      Duration read) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
    try {
      connection.setRequestMethod(method);
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setConnectTimeout(Math.toIntExact(connect.toMillis()));
      connection.setReadTimeout(Math.toIntExact(read.toMillis()));
      headers.forEach(connection::setRequestProperty);
      if (body != null) {
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      int status = connection.getResponseCode();
      InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      if (in == null) {
        return new Answer(status, new byte[0]);
      }
      try (in) {
        // read to its end and closed, the connection goes back to the JDK's keep-alive cache for the next request
        return new Answer(status, in.readAllBytes());
      }
    } catch (IOException e) {
      connection.disconnect();
      throw e;
    }
  }
}
