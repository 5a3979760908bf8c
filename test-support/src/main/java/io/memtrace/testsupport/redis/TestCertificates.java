package io.memtrace.testsupport.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority and a server certificate for {@code 127.0.0.1} and {@code localhost}, made by
 * {@code openssl} when the test runs (nothing secret is checked in, nothing expires in the repository), and a
 * PKCS12 trust store holding the authority, for the Java side.
 */
public final class TestCertificates {

  public final Path caCert;
  public final Path serverCert;
  public final Path serverKey;
  public final Path trustStore;
  public final String trustStorePassword;

  private TestCertificates(Path dir, String trustStorePassword) {
    this.caCert = dir.resolve("ca.crt");
    this.serverCert = dir.resolve("server.crt");
    this.serverKey = dir.resolve("server.key");
    this.trustStore = dir.resolve("truststore.p12");
    this.trustStorePassword = trustStorePassword;
  }

  /** Makes them in {@code dir} (created), valid for two days. */
  public static TestCertificates make(Path dir) throws IOException {
    Files.createDirectories(dir);
    TestCertificates made = new TestCertificates(dir, "memtrace-test");
    Path caKey = dir.resolve("ca.key");
    Path request = dir.resolve("server.csr");
    Path extensions = dir.resolve("server.ext");
    Files.writeString(extensions, "subjectAltName=IP:127.0.0.1,DNS:localhost\n", StandardCharsets.US_ASCII);
    openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=memtrace test CA",
        "-keyout", caKey.toString(), "-out", made.caCert.toString());
    openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
        "-keyout", made.serverKey.toString(), "-out", request.toString());
    openssl(dir, "x509", "-req", "-days", "2", "-in", request.toString(), "-CA", made.caCert.toString(),
        "-CAkey", caKey.toString(), "-CAcreateserial", "-extfile", extensions.toString(),
        "-out", made.serverCert.toString());
    made.writeTrustStore();
    return made;
  }

  private void writeTrustStore() throws IOException {
    try (InputStream in = Files.newInputStream(caCert); OutputStream out = Files.newOutputStream(trustStore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
      store.setCertificateEntry("memtrace-test-ca", ca);
      store.store(out, trustStorePassword.toCharArray());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the trust store " + trustStore, e);
    }
  }

  /** Sockets that trust this authority only. */
  public SSLSocketFactory sockets() throws IOException {
    try (InputStream in = Files.newInputStream(trustStore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, trustStorePassword.toCharArray());
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the trust store " + trustStore, e);
    }
  }

  /** The JVM arguments with which a forked program trusts this authority (and no other). */
  public List<String> jvmArgs() {
    return List.of("-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStorePassword="
        + trustStorePassword, "-Djavax.net.ssl.trustStoreType=PKCS12");
  }

  private static void openssl(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Path log = dir.resolve("openssl.log");
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("openssl did not finish in 30 s: " + command);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(command + " failed (" + process.exitValue() + "): " + Files.readString(log));
    }
  }
}
