package com.acme.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A model span Spring AI's observations made in the app, as {@code ObservedSpans} wrote it. */
final class ObservedSpan {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TURN = Pattern.compile("(?:asks|streams)(?: RAG| again)? (\\d+):");

  /** A span link: the span it points at, and its attributes. */
  static final class Target {
    final String traceId;
    final String spanId;
    final Map<String, Object> attributes;

    Target(JsonNode node) {
      traceId = node.get("trace_id").asText();
      spanId = node.get("span_id").asText();
      attributes = JSON.convertValue(node.get("attributes"), Map.class);
    }

    @Override
    public String toString() {
      return traceId + "/" + spanId + " " + attributes;
    }
  }

  final String user;
  final Map<String, Object> attributes;
  final List<Target> links = new ArrayList<>();

  @SuppressWarnings("unchecked")
  private ObservedSpan(JsonNode node) {
    user = node.path("user").asText("");
    attributes = JSON.convertValue(node.get("attributes"), Map.class);
    node.get("links").forEach(l -> links.add(new Target(l)));
  }

  static List<ObservedSpan> read(Path file) throws IOException {
    List<ObservedSpan> spans = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        spans.add(new ObservedSpan(JSON.readTree(line)));
      }
    }
    return spans;
  }

  /** The conversation AssistantSession asked this in, from its user message. */
  String conversation() {
    if (user.contains("Ada asks RAG")) {
      return "rag-ada";
    } else if (user.contains("Ada asks again")) {
      return "prompt-ada";
    } else if (user.contains("Ada asks ")) {
      return "pool-ada";
    } else if (user.contains("Bob asks ")) {
      return "pool-bob";
    } else if (user.contains("Ada streams")) {
      return "stream-ada";
    } else if (user.contains("Cancel me")) {
      return "stream-cancel";
    } else if (user.contains("[fail]")) {
      return "conv-fail";
    } else if (user.contains("[stall]")) {
      return "conv-timeout";
    }
    throw new AssertionError("no conversation asks " + user);
  }

  /** The turn of its conversation (from 1), from its user message; 1 for a conversation of one turn. */
  int turn() {
    Matcher m = TURN.matcher(user);
    return m.find() ? Integer.parseInt(m.group(1)) : 1;
  }

  /** Its one link of {@code source} ({@code memtrace.context.source}); fails when not one. */
  Target link(String source) {
    List<Target> found = links.stream().filter(l -> source.equals(l.attributes.get("memtrace.context.source"))).toList();
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " " + source + " links, not one, on " + user + ": " + links);
    }
    return found.get(0);
  }

  @Override
  public String toString() {
    return user + " " + attributes + " " + links;
  }
}
