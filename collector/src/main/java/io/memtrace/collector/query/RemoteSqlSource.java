package io.memtrace.collector.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.CollectorException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A running {@code serve}, asked over its {@code POST /api/query}. */
public final class RemoteSqlSource implements SqlSource {

  private final URI server;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  public RemoteSqlSource(URI server) {
    this.server = server;
  }

  @Override
  public ResultTable query(String sql) {
    HttpRequest request = HttpRequest.newBuilder(server.resolve("/api/query"))
        .timeout(Duration.ofMinutes(5))
        .header("Content-Type", "text/plain; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8))
        .build();
    HttpResponse<byte[]> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new CollectorException("cannot reach the collector at " + server + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CollectorException("interrupted while waiting for " + server);
    }
    try {
      if (response.statusCode() == 200) {
        return ResultJson.read(response.body());
      }
      JsonNode error = new ObjectMapper().readTree(response.body());
      throw new CollectorException(error.path("error").asText("HTTP " + response.statusCode()));
    } catch (IOException e) {
      throw new CollectorException("the collector at " + server + " answered HTTP " + response.statusCode()
          + " with a body that is not JSON", e);
    }
  }

  @Override
  public String describe() {
    return "collector at " + server;
  }

  @Override
  public void close() {
    // HttpClient holds no resources that outlive the command
  }
}
