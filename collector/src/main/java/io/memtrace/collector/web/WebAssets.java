package io.memtrace.collector.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPOutputStream;

/**
 * The files of the web view, read from the collector jar once at start: everything under
 * {@code web/} that {@code web/manifest.txt} lists, and the chart library from its WebJar. Each
 * is kept as is and gzipped. The assets are served under {@code /assets/VERSION/}, where VERSION
 * is a hash of all of them, so a browser may keep them for a year and still never runs an old
 * script after an upgrade; the two documents ({@code index.html}, {@code signin.html}) name that
 * path and are revalidated by their ETag instead.
 */
final class WebAssets {

  /** One file as served. */
  record Asset(String type, byte[] plain, byte[] gzip, String etag) {
  }

  /** The WebJar of the chart library, its files under {@code vendor/}. */
  private static final String WEBJAR = "uplot";
  private static final String WEBJAR_GROUP = "org.webjars.npm";

  private final Map<String, Asset> assets = new LinkedHashMap<>();
  private final Map<String, Asset> documents = new LinkedHashMap<>();
  private final String version;

  private WebAssets() throws IOException {
    MessageDigest all = sha256();
    for (String line : new String(read("web/manifest.txt"), StandardCharsets.UTF_8).split("\n")) {
      String path = line.strip();
      if (path.isEmpty() || path.startsWith("#")) {
        continue;
      }
      byte[] bytes = path.startsWith("vendor/") ? read(webjarPath(path.substring("vendor/".length())))
          : read("web/" + path);
      all.update(path.getBytes(StandardCharsets.UTF_8));
      all.update(bytes);
      if (path.endsWith(".html")) {
        documents.put(path, asset(path, bytes)); // replaced below, once the version is known
      } else {
        assets.put(path, asset(path, bytes));
      }
    }
    version = HexFormat.of().formatHex(all.digest()).substring(0, 12);
    for (Map.Entry<String, Asset> d : documents.entrySet()) {
      String text = new String(d.getValue().plain(), StandardCharsets.UTF_8).replace("{{assets}}", prefix());
      d.setValue(asset(d.getKey(), text.getBytes(StandardCharsets.UTF_8)));
    }
  }

  static WebAssets load() {
    try {
      return new WebAssets();
    } catch (IOException e) {
      throw new UncheckedIOException("the web view's files are missing from the collector jar", e);
    }
  }

  /** The path the assets are served under, with the trailing slash. */
  String prefix() {
    return "/assets/" + version + "/";
  }

  String version() {
    return version;
  }

  /** An asset by its path below the prefix; null when there is none. */
  Asset asset(String path) {
    return assets.get(path);
  }

  /** {@code index.html} or {@code signin.html}. */
  Asset document(String name) {
    return documents.get(name);
  }

  /** Every asset and document by path, for the size a browser downloads. */
  Map<String, Asset> all() {
    Map<String, Asset> both = new LinkedHashMap<>(documents);
    both.putAll(assets);
    return both;
  }

  private static String webjarPath(String file) throws IOException {
    Properties pom = new Properties();
    try (InputStream in = open("META-INF/maven/" + WEBJAR_GROUP + "/" + WEBJAR + "/pom.properties")) {
      pom.load(in);
    }
    return "META-INF/resources/webjars/" + WEBJAR + "/" + pom.getProperty("version") + "/dist/" + file;
  }

  private static Asset asset(String path, byte[] bytes) throws IOException {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      gz.write(bytes);
    }
    String etag = "\"" + HexFormat.of().formatHex(sha256().digest(bytes)).substring(0, 16) + "\"";
    return new Asset(type(path), bytes, zipped.toByteArray(), etag);
  }

  private static String type(String path) {
    String ext = path.substring(path.lastIndexOf('.') + 1);
    switch (ext) {
      case "html": return "text/html; charset=utf-8";
      case "js": return "text/javascript; charset=utf-8";
      case "css": return "text/css; charset=utf-8";
      case "svg": return "image/svg+xml";
      default: throw new IllegalStateException("web/manifest.txt lists " + path + ", a kind of file the view does not serve");
    }
  }

  private static byte[] read(String resource) throws IOException {
    try (InputStream in = open(resource)) {
      return in.readAllBytes();
    }
  }

  private static InputStream open(String resource) throws IOException {
    InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IOException("no resource " + resource);
    }
    return in;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
