package io.memtrace.collector.mcp;

import io.memtrace.collector.reader.StoreReader;
import java.util.Map;

/**
 * One tool of the MCP server: its name, when an assistant should use it, the JSON Schema of its arguments, and how it
 * turns checked arguments into a question of the store. No tool writes: every question is asked of a
 * {@link StoreReader}, which reads through the same read-only, bounded path as {@code /api/*}.
 */
interface Tool {

  String name();

  /** What the tool answers and when to use it, for the assistant choosing a tool. */
  String description();

  /** The JSON Schema of the arguments: an object whose properties are the arguments ({@link Schema}). */
  Map<String, Object> inputSchema();

  /**
   * Checks the arguments and says what to ask; a bad argument is a {@link io.memtrace.collector.CollectorException}
   * whose message names it, thrown before the store is opened.
   */
  Question ask(ToolArguments arguments);

  /** A checked question, answered from one reader of the store, as compact text. */
  @FunctionalInterface
  interface Question {

    String answer(StoreReader reader);
  }
}
