package io.memtrace.collector.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * HTTP clients for a command that asks a running collector. For a plain {@code http} URL, which is how {@code serve}
 * listens, the client gets a TLS context that is never initialized and never used: the JDK's default one, which a
 * client builds otherwise, reads the trust store first, 0.12-0.14 s of CPU of a command's start (measured beside it,
 * 2026-11-27). An {@code https} URL gets the default client.
 */
final class LocalHttp {

  private LocalHttp() {
  }

  static HttpClient client(URI url, Duration connectTimeout) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout);
    if ("http".equalsIgnoreCase(url.getScheme())) {
      try {
        // the parameters given, so the client does not ask the uninitialized context for its defaults
        builder.sslContext(SSLContext.getInstance("TLS")).sslParameters(new SSLParameters());
      } catch (NoSuchAlgorithmException e) {
        // every JDK has TLS; without it, the default client
      }
    }
    return builder.build();
  }
}
