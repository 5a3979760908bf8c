package io.memtrace.agent.bootstrap;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A hook test's {@link Bridge}: its sink installed for the Redis hooks before each test and uninstalled after, with
 * handshakes not recorded and the calling thread's context (which outlives a test) cleared on both sides. Register it
 * with {@code @RegisterExtension}; {@link #internalErrors()} counts the hooks' own failures since the test began (the
 * count is global to the JVM).
 */
final class InstalledBridge implements BeforeEachCallback, AfterEachCallback {

  private final EventSink sink;
  private long internalErrorsBefore;

  InstalledBridge(EventSink sink) {
    this.sink = sink;
  }

  @Override
  public void beforeEach(ExtensionContext test) {
    internalErrorsBefore = Bridge.internalErrors();
    clearContext();
    RedisHooks.recordHandshakes(false);
    Bridge.install(sink, true, false);
  }

  @Override
  public void afterEach(ExtensionContext test) {
    Bridge.uninstall();
    RedisHooks.recordHandshakes(false);
    clearContext();
  }

  /** The hooks' own failures counted since this test began. */
  long internalErrors() {
    return Bridge.internalErrors() - internalErrorsBefore;
  }

  /** Every field of the calling thread's context that a hook test sets, back as a fresh thread has it. */
  static void clearContext() {
    ThreadContext context = ThreadContext.current();
    context.redisBatch.depth = 0;
    context.redisBatch.clear();
    context.redisCall.clear();
    context.pubSubDepth = 0;
    context.openingTransaction = 0;
    context.lastConnection = null;
    context.completing = null;
    context.currentSpanId = 0;
    context.redissonSetUp = 0;
    context.measuredCommand = null;
    context.measuredReply = null;
    context.redissonExecuting = null;
    context.redissonSentBy = null;
  }
}
