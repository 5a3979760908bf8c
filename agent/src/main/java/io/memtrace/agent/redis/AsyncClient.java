package io.memtrace.agent.redis;

import java.net.InetSocketAddress;

/**
 * What the consumer reads from the objects of a client whose commands complete on another thread
 * than the one that dispatched them (Lettuce). Those objects are of the application's classes, so
 * each client's instrumentation implements this through its class loader, never by linking to
 * them. Called on the consumer thread only; a method that cannot tell returns its neutral answer
 * ({@code null}, {@link Framing#NONE}) instead of throwing.
 */
public interface AsyncClient {

  /** Where a command stands in a transaction. */
  enum Framing { NONE, MULTI, EXEC, DISCARD }

  /**
   * Whether {@code command} is one of this client's command objects. The default owns everything:
   * a client without an answer of its own is asked last.
   */
  default boolean owns(Object command) {
    return true;
  }

  /**
   * What a span shows of {@code error}, which a command ended with: the client's exception itself,
   * or one like it whose message keeps only what Redis said (a client that writes the command's
   * arguments into its messages would otherwise export the application's values).
   *
   * @param reply the reply the end carried, if the client measured it (its error text)
   */
  default Throwable shown(Throwable error, Object reply) {
    return error;
  }

  /** Reads the name and arguments of a command object. */
  CommandDecoder decoder();

  /** Whether {@code command} opens ({@code MULTI}) or ends ({@code EXEC}, {@code DISCARD}) a transaction. */
  Framing framing(Object command);

  /**
   * The reply of a completed command: what its output holds, or {@link RedisReply#UNKNOWN} when
   * the output streamed it to a subscriber (a reactive {@code Flux}) and kept nothing.
   */
  Object reply(Object command);

  /** The error reply of a completed command, as the exception the application is handed; null when none. */
  Throwable errorReply(Object command);

  /**
   * {@code message}, an error reply read for {@code command} earlier, as the exception the client makes of it: for a
   * client whose ends can be redirections ({@code LettuceCompletionHooks.REDIRECTED}, Lettuce's cluster); null by default.
   */
  default Throwable errorReply(Object command, String message) {
    return null;
  }

  /**
   * The remote address of {@code channel} (the connection's Netty channel, as the advice captured
   * it), the same object every time for one channel; null when unknown.
   */
  InetSocketAddress address(Object channel);
}
