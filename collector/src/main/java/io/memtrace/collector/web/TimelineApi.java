package io.memtrace.collector.web;

import com.sun.net.httpserver.HttpExchange;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.UrlQuery;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.timeline.TimelineText;
import io.memtrace.collector.versions.RecordVersions;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/keys/{key}/timeline?namespace=NS&redis=HOST:PORT&limit=N}: one record's timeline as the store
 * answers it ({@link StoreReader#timeline}), names in snake case; {@code GET /api/keys/{key}/versions} with the same
 * parameters: its versions with their diffs ({@link RecordVersions}), the newest {@code limit}. The key is one path
 * segment, percent-encoded ({@code /} as {@code %2F}, {@code +} as itself).
 */
public final class TimelineApi extends JsonApi {

  public static final String PREFIX = "/api/keys/";
  private static final String SUFFIX = "/timeline";
  private static final String VERSIONS = "/versions";

  public TimelineApi(StoreReader.Factory readers) {
    super(readers, TimelineText.JSON);
  }

  @Override
  protected byte[] answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    if (!exchange.getRequestMethod().equals("GET")) {
      throw new Refusal(405, "the timeline is read with GET");
    }
    String suffix = path.endsWith(VERSIONS) ? VERSIONS : SUFFIX;
    if (!path.startsWith(PREFIX) || !path.endsWith(suffix) || path.length() <= PREFIX.length() + suffix.length()) {
      throw new Refusal(404, "the timeline of a key is at /api/keys/{key}/timeline, its versions at "
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
      return TimelineText.JSON.writeValueAsBytes(suffix.equals(VERSIONS) ? RecordVersions.read(reader, request)
          : reader.timeline(request));
    }
  }
}
