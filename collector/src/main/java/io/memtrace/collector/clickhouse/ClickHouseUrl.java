package io.memtrace.collector.clickhouse;

import io.memtrace.collector.CollectorException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where memtrace finds ClickHouse: {@code --clickhouse http://HOST:8123/DATABASE}, ClickHouse's HTTP interface with
 * the database as the path (the one the OpenTelemetry Collector's exporter writes to), and the credentials from
 * {@value #USER_ENV} / {@value #PASSWORD_ENV}, never from the command line, where {@code ps} shows them.
 *
 * @param endpoint {@code http(s)://HOST:PORT}, what clickhouse-java takes
 * @param database the database, a plain identifier
 */
public record ClickHouseUrl(String endpoint, String database, String user, String password) {

  public static final String USER_ENV = "MEMTRACE_CLICKHOUSE_USER";
  public static final String PASSWORD_ENV = "MEMTRACE_CLICKHOUSE_PASSWORD";
  static final String FORM = "http://HOST:8123/DATABASE";

  /** A database as memtrace names one: a plain identifier, never quoted into a statement otherwise. */
  static final Pattern DATABASE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  /** Reads {@code url} and the credentials in {@code env}; a one-line error names what is wrong. */
  public static ClickHouseUrl parse(String url, Map<String, String> env) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw bad(url, "it is not a URL (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw bad(url, "memtrace speaks ClickHouse's HTTP interface: the URL starts with http:// or https://");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw bad(url, "it names no host");
    }
    if (uri.getUserInfo() != null) {
      throw bad(url, "credentials in the URL would show in ps and shell history: set " + USER_ENV + " and "
          + PASSWORD_ENV + " instead");
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw bad(url, "it takes no query or fragment");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String database = path.startsWith("/") ? path.substring(1) : path;
    if (database.endsWith("/")) {
      database = database.substring(0, database.length() - 1);
    }
    if (database.isEmpty()) {
      throw bad(url, "its path names no database (the one the OpenTelemetry Collector's exporter writes to)");
    }
    if (!DATABASE.matcher(database).matches()) {
      throw bad(url, "the database '" + database + "' is not a plain name (letters, digits and _, not starting "
          + "with a digit)");
    }
    int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 8443 : 8123;
    String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]"
        : uri.getHost();
    String user = env.getOrDefault(USER_ENV, "");
    return new ClickHouseUrl(scheme + "://" + host + ":" + port, database, user.isEmpty() ? "default" : user,
        env.getOrDefault(PASSWORD_ENV, ""));
  }

  private static CollectorException bad(String url, String why) {
    return new CollectorException("--clickhouse " + url + ": " + why + "; the form is " + FORM);
  }

  /** The URL as given, without credentials: for messages. */
  @Override
  public String toString() {
    return endpoint + "/" + database;
  }
}
