package io.memtrace.collector.mcp;

import io.memtrace.collector.reader.StoreReader;
import java.util.Map;

/**
 * One tool of the MCP server: its name, when an assistant should use it, the JSON Schema of its arguments, and how it
 * turns checked arguments into a question of the store. No tool writes: every question is asked of a
 * {@link StoreReader}, which reads through the same read-only, bounded path as {@code /api/*}.
 */
abstract class Tool {

  private final String name;
  private final String description;
  private final Map<String, Object> inputSchema;

  /**
   * @param description what the tool answers and when to use it, for the assistant choosing a tool
   * @param inputSchema the JSON Schema of the arguments: an object whose properties are the arguments ({@link Schema})
   */
  Tool(String name, String description, Map<String, Object> inputSchema) {
    this.name = name;
    this.description = description;
    this.inputSchema = inputSchema;
  }

  final String name() {
    return name;
  }

  final String description() {
    return description;
  }

  final Map<String, Object> inputSchema() {
    return inputSchema;
  }

  /**
   * Checks the arguments and says what to ask; a bad argument is a {@link io.memtrace.collector.CollectorException}
   * whose message names it, thrown before the store is opened.
   */
  public abstract Question ask(ToolArguments arguments);

  /** A checked question, answered from one reader of the store, as compact text. */
  @FunctionalInterface
  interface Question {

    String answer(StoreReader reader);
  }
}
