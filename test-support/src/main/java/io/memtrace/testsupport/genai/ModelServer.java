package io.memtrace.testsupport.genai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible chat-completions server on loopback for tests: {@code POST /v1/chat/completions}, answered
 * whole or, with {@code "stream": true}, as server-sent events ending in a usage chunk (when
 * {@code stream_options.include_usage} asks, as LangChain4j does and Spring AI with {@code streamUsage(true)}) and
 * {@code [DONE]}. Usage figures are counted from the request, so a test can predict them: input tokens are the
 * request's message characters divided by four (at least one), output tokens the reply's words.
 *
 * <p>What it does is chosen by the last user message, so concurrent conversations can ask different things:
 * {@code [fail]} answers 500 with an OpenAI error body; {@code [stall]} holds the answer for
 * {@link #stallMillis} (a client timeout fires first); {@code [stall-stream]} streams three chunks, then holds the
 * rest for {@link #stallMillis} (a client cancels half way). Every request body is {@linkplain #requests() kept}.
 */
public final class ModelServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "model-server");
    t.setDaemon(true);
    return t;
  });
  private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private final List<List<Long>> usages = new CopyOnWriteArrayList<>();
  private volatile long stallMillis = 10_000;

  private ModelServer(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free loopback port. */
  public static ModelServer start() throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ModelServer model = new ModelServer(http);
    http.createContext("/v1/chat/completions", model::handle);
    http.setExecutor(model.workers);
    http.start();
    return model;
  }

  /** {@code http://127.0.0.1:PORT} (Spring AI's base URL; it adds {@code /v1}). */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:PORT/v1} (LangChain4j's base URL). */
  public String v1Url() {
    return baseUrl() + "/v1";
  }

  /** How long {@code [stall]} and {@code [stall-stream]} hold an answer. */
  public ModelServer stallMillis(long millis) {
    this.stallMillis = millis;
    return this;
  }

  /** The request bodies received, in order of arrival. */
  public List<JsonNode> requests() {
    return List.copyOf(requests);
  }

  /** The usage figures answered, each {@code [input tokens, output tokens]}, in order of answer. */
  public List<List<Long>> usages() {
    return List.copyOf(usages);
  }

  /** The input tokens this server reports for {@code request}. */
  public static long inputTokens(JsonNode request) {
    long chars = 0;
    for (JsonNode message : request.path("messages")) {
      chars += text(message).length();
    }
    return Math.max(1, chars / 4);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      JsonNode request;
      try (InputStream in = exchange.getRequestBody()) {
        request = JSON.readTree(in);
      }
      requests.add(request);
      String last = lastUserText(request);
      if (last.contains("[fail]")) {
        byte[] body = "{\"error\":{\"message\":\"injected failure\",\"type\":\"server_error\",\"code\":\"injected\"}}"
            .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(500, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      if (last.contains("[stall]")) {
        sleep(stallMillis);
      }
      String model = request.path("model").asText("test-model");
      String reply = "Answer to: " + last.replace("[stall-stream]", "").trim();
      long input = inputTokens(request);
      long output = reply.split("\\s+").length;
      usages.add(List.of(input, output));
      if (request.path("stream").asBoolean(false)) {
        stream(exchange, request, model, reply, input, output, last.contains("[stall-stream]"));
      } else {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "chatcmpl-" + requests.size());
        body.put("object", "chat.completion");
        body.put("created", System.currentTimeMillis() / 1000);
        body.put("model", model + "-served");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", reply);
        choice.put("finish_reason", "stop");
        usage(body, input, output);
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
      }
    } catch (IOException | RuntimeException e) {
      // a client that went away (a cancelled stream, a timeout) is what some tests do on purpose
    } finally {
      exchange.close();
    }
  }

  private void stream(HttpExchange exchange, JsonNode request, String model, String reply, long input, long output,
      boolean stall) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    String id = "chatcmpl-" + requests.size();
    String[] words = reply.split(" ");
    for (int i = 0; i < words.length; i++) {
      if (stall && i == 3) {
        sleep(stallMillis);
      }
      ObjectNode chunk = chunk(id, model);
      ObjectNode choice = ((ArrayNode) chunk.get("choices")).addObject();
      choice.put("index", 0);
      ObjectNode delta = choice.putObject("delta");
      if (i == 0) {
        delta.put("role", "assistant");
      }
      delta.put("content", (i == 0 ? "" : " ") + words[i]);
      choice.putNull("finish_reason");
      event(out, JSON.writeValueAsString(chunk));
    }
    ObjectNode last = chunk(id, model);
    ObjectNode choice = ((ArrayNode) last.get("choices")).addObject();
    choice.put("index", 0);
    choice.putObject("delta");
    choice.put("finish_reason", "stop");
    event(out, JSON.writeValueAsString(last));
    if (request.path("stream_options").path("include_usage").asBoolean(false)) {
      ObjectNode usage = chunk(id, model);
      usage(usage, input, output);
      event(out, JSON.writeValueAsString(usage));
    }
    event(out, "[DONE]");
  }

  private static ObjectNode chunk(String id, String model) {
    ObjectNode chunk = JSON.createObjectNode();
    chunk.put("id", id);
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", System.currentTimeMillis() / 1000);
    chunk.put("model", model + "-served");
    chunk.putArray("choices");
    return chunk;
  }

  private static void usage(ObjectNode body, long input, long output) {
    body.putObject("usage").put("prompt_tokens", input).put("completion_tokens", output)
        .put("total_tokens", input + output);
  }

  private static void event(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String lastUserText(JsonNode request) {
    String last = "";
    for (JsonNode message : request.path("messages")) {
      if ("user".equals(message.path("role").asText())) {
        last = text(message);
      }
    }
    return last;
  }

  /** A message's text: a string content, or its text parts joined. */
  static String text(JsonNode message) {
    JsonNode content = message.path("content");
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      text.append(part.path("text").asText(""));
    }
    return text.toString();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
