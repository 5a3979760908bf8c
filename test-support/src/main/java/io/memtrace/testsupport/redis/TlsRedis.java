package io.memtrace.testsupport.redis;

import io.memtrace.testsupport.Ports;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A Redis reached over TLS only, as managed services offer it: the distribution's {@code redis-server} with a
 * certificate {@link TestCertificates made at run time} for {@code 127.0.0.1}, no plain port, and no client
 * certificate asked for. Clients trust it through {@link #trustStore} ({@link #jvmArgs} for a forked program).
 */
public final class TlsRedis implements AutoCloseable {

  public final RedisProcess server;
  public final TestCertificates certificates;

  private TlsRedis(RedisProcess server, TestCertificates certificates) {
    this.server = server;
    this.certificates = certificates;
  }

  /** Makes the certificates in {@code dir}/certs and starts the server in {@code dir}/server; returns once it answers PING over TLS. */
  public static TlsRedis start(Path dir) throws IOException {
    TestCertificates certificates = TestCertificates.make(dir.resolve("certs"));
    int port = Ports.free();
    RedisProcess server = RedisProcess.start(dir.resolve("server"), port, List.of(), certificates.sockets(),
        "--port", "0", "--tls-port", String.valueOf(port),
        "--tls-cert-file", certificates.serverCert.toString(), "--tls-key-file", certificates.serverKey.toString(),
        "--tls-ca-cert-file", certificates.caCert.toString(), "--tls-auth-clients", "no");
    return new TlsRedis(server, certificates);
  }

  /** Its TLS port (it has no other). */
  public int port() {
    return server.port;
  }

  /** {@code rediss://127.0.0.1:port}. */
  public String url() {
    return "rediss://127.0.0.1:" + server.port;
  }

  public Path trustStore() {
    return certificates.trustStore;
  }

  public String trustStorePassword() {
    return certificates.trustStorePassword;
  }

  /** What a forked JVM needs on its command line to trust this server. */
  public List<String> jvmArgs() {
    return certificates.jvmArgs();
  }

  /** A connection for the test itself, over TLS. */
  public Resp connect() throws IOException {
    return Resp.connect(certificates.sockets(), "127.0.0.1", server.port);
  }

  @Override
  public void close() {
    server.stop();
  }

  @Override
  public String toString() {
    return "TLS " + server;
  }
}
