package io.memtrace.agent.redis;

import java.util.List;

/**
 * Turns what the client instrumentation captured for one command (its own objects, still of the
 * application's classes) into the command's raw words: the name, then the arguments. Implemented
 * by each client's instrumentation; called on the consumer thread only.
 */
@FunctionalInterface
public interface CommandDecoder {

  /**
   * Writes the command name followed by its arguments into {@code out}, cleared first, and
   * returns it; empty when nothing could be read.
   */
  List<byte[]> decode(Object command, Object arguments, List<byte[]> out);
}
