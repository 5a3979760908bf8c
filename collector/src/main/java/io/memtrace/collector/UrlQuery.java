package io.memtrace.collector;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** The parameters of a request's URL, as the web view and the API handlers read them. */
public final class UrlQuery {

  private UrlQuery() {
  }

  /** One parameter of a raw query string, decoded; null when absent or malformed. */
  public static String parameter(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.startsWith(name + "=")) {
        try {
          return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
    }
    return null;
  }
}
