package io.memtrace.bench.stress.app;

/**
 * The session and cache steps that the mixed and the fleet cycles share, on the calling thread's own
 * session and cache keys, each operation timed.
 */
final class LayerSteps {

  /** A session is emptied when it holds this many messages, which keeps Redis's memory flat. */
  private static final long SESSION_MESSAGES = 100;
  /** Cache keys per thread: the cache's time index gains one member per distinct key, never fewer. */
  private static final int CACHE_KEYS = 64;
  private static final long CACHE_TTL_SECONDS = 60;

  private final DemoMemory demo;
  private final OpClock clock;
  private final StressCounters counters;
  private final String sessionId;
  private final String cachePrefix;

  LayerSteps(DemoMemory demo, OpClock clock, StressCounters counters, String owner) {
    this.demo = demo;
    this.clock = clock;
    this.counters = counters;
    this.sessionId = "stress-" + owner;
    this.cachePrefix = "stress-" + owner + "-";
  }

  /** {@code session.addMessage}, and now and then the session emptied. */
  void session(String content) {
    long start = clock.start();
    long messages = demo.session.addMessage(sessionId, "user", content);
    clock.stop(start);
    if (messages >= SESSION_MESSAGES) {
      start = clock.start();
      demo.dropSession(sessionId);
      clock.stop(start);
    }
  }

  /** {@code cache.put} then {@code cache.get} of the same key, which must return the value. */
  void cache(long iteration, String value) {
    String key = cachePrefix + (iteration % CACHE_KEYS);
    long start = clock.start();
    demo.cache.put(key, value, CACHE_TTL_SECONDS);
    clock.stop(start);
    start = clock.start();
    String cached = demo.cache.get(key);
    clock.stop(start);
    counters.verify(value.equals(cached));
  }
}
