package io.memtrace.collector.web;

import io.memtrace.collector.HttpAnswer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.UrlQuery;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.StoreUnavailableException;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.timeline.TimelineText;
import io.memtrace.collector.versions.RecordVersions;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code GET /api/keys/{key}/timeline?namespace=NS&redis=HOST:PORT&limit=N}: one record's timeline as the store
 * answers it ({@link StoreReader#timeline}), names in snake case; {@code GET /api/keys/{key}/versions} with the same
 * parameters: its versions with their diffs ({@link RecordVersions}), the newest {@code limit}. The key is one path
 * segment, percent-encoded ({@code /} as {@code %2F}, {@code +} as itself).
 */
public final class TimelineApi implements HttpHandler {

  public static final String PREFIX = "/api/keys/";
  private static final String SUFFIX = "/timeline";
  private static final String VERSIONS = "/versions";

  private final StoreReader.Factory readers;

  public TimelineApi(StoreReader.Factory readers) {
    this.readers = readers;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      int status = 200;
      byte[] body;
      String path = exchange.getRequestURI().getRawPath();
      try {
        if (!exchange.getRequestMethod().equals("GET")) {
          status = 405;
          throw new CollectorException("the timeline is read with GET");
        }
        String suffix = path.endsWith(VERSIONS) ? VERSIONS : SUFFIX;
        if (!path.startsWith(PREFIX) || !path.endsWith(suffix) || path.length() <= PREFIX.length() + suffix.length()) {
          status = 404;
          throw new CollectorException("the timeline of a key is at /api/keys/{key}/timeline, its versions at "
              + "/api/keys/{key}/versions");
        }
        String key = URLDecoder.decode(path.substring(PREFIX.length(), path.length() - suffix.length())
            .replace("+", "%2B"), StandardCharsets.UTF_8);
        String query = exchange.getRequestURI().getRawQuery();
        String limit = UrlQuery.parameter(query, "limit");
        TimelineRequest request;
        try {
          request = new TimelineRequest(key, UrlQuery.parameter(query, "namespace"), UrlQuery.parameter(query, "redis"),
              limit == null ? TimelineRequest.DEFAULT_LIMIT : Integer.parseInt(limit));
        } catch (NumberFormatException e) {
          throw new CollectorException("limit is a whole number, not " + limit);
        }
        try (StoreReader reader = readers.open()) {
          body = TimelineText.JSON.writeValueAsBytes(suffix.equals(VERSIONS) ? RecordVersions.read(reader, request)
              : reader.timeline(request));
        }
      } catch (StoreUnavailableException e) {
        status = 503;
        body = TimelineText.JSON.writeValueAsBytes(Map.of("error", e.getMessage()));
      } catch (CollectorException | IllegalArgumentException e) {
        status = status == 200 ? 400 : status;
        body = TimelineText.JSON.writeValueAsBytes(Map.of("error", String.valueOf(e.getMessage())));
      }
      HttpAnswer.send(exchange, status, HttpAnswer.JSON, body);
    }
  }
}
