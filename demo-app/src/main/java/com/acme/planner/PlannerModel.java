package com.acme.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A stand-in for a language model: an OpenAI-compatible chat-completions endpoint on loopback, started by the demo
 * so that its planner step needs no model service and no key. Its answer is a plan built from the prompt (how many
 * user turns it holds), and its usage counts the prompt's words as tokens. Not a model: nothing is generated.
 */
public final class PlannerModel implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;

  private PlannerModel(HttpServer server) {
    this.server = server;
  }

  /** Starts it on a free loopback port. */
  public static PlannerModel start() throws IOException {
    // the JDK's server writes a reply's headers and body apart; with Nagle's algorithm on, the body then waits for
    // the client's delayed ACK (46-49 ms a POST in a loopback lab, 1.9-5.4 ms with it). Read once, when the first
    // server is made
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    PlannerModel model = new PlannerModel(server);
    server.createContext("/v1/chat/completions", model::answer);
    server.start();
    return model;
  }

  /** The base URL an OpenAI client is given ({@code http://127.0.0.1:PORT/v1}). */
  public String baseUrl() {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort() + "/v1";
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      int words = 0;
      int userTurns = 0;
      for (JsonNode message : request.path("messages")) {
        String text = message.path("content").asText("");
        words += text.isBlank() ? 0 : text.trim().split("\\s+").length;
        userTurns += "user".equals(message.path("role").asText()) ? 1 : 0;
      }
      String plan = userTurns <= 1
          ? "Plan: run the UserService suite first, then the coverage report."
          : "Plan (turn " + userTurns + "): rerun the failed UserService tests, then refresh the coverage report.";
      ObjectNode body = JSON.createObjectNode().put("id", "chatcmpl-demo-" + userTurns).put("object", "chat.completion")
          .put("created", System.currentTimeMillis() / 1000).put("model", "demo-planner");
      ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
      choice.putObject("message").put("role", "assistant").put("content", plan);
      int answerWords = plan.split("\\s+").length;
      body.putObject("usage").put("prompt_tokens", words).put("completion_tokens", answerWords)
          .put("total_tokens", words + answerWords);
      byte[] bytes = JSON.writeValueAsBytes(body);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
