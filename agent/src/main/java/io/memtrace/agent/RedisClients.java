package io.memtrace.agent;

import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.instrumentation.KnownTypeTransformer;
import io.memtrace.agent.instrumentation.KnownTypes;
import io.memtrace.agent.instrumentation.WovenClassCache;
import io.memtrace.agent.instrumentation.jedis.JedisInstrumentation;
import io.memtrace.agent.instrumentation.lettuce.LettuceInstrumentation;
import io.memtrace.agent.instrumentation.micrometer.v1_0.ObservedModelInstrumentation;
import io.memtrace.agent.instrumentation.redisson.RedissonInstrumentation;
import java.util.HashSet;
import java.util.Set;

/**
 * The Redis clients' instrumentation (Jedis, Lettuce, Redisson, and the model clients whose spans are made
 * elsewhere) as one {@link KnownTypeTransformer}, and the classes it names, which the start-up gate holds back
 * until it is ready.
 */
final class RedisClients {

  private RedisClients() {
  }

  /**
   * The Redis clients' instrumentation, and the notice of which client was found; the start-up
   * gate holds every class it names until it is ready. What it wove in an earlier start is taken
   * from the cache; Byte Buddy and the transformations are made only for a class the cache lacks.
   */
  static KnownTypeTransformer transformer(HealthCounters counters) {
    return KnownTypeTransformer.deferred(classNames(), RedisClientNotices.CLASSES,
        () -> ObservedModelInstrumentation.install(RedissonInstrumentation.install(LettuceInstrumentation.install(
            JedisInstrumentation.install(new KnownTypes())))).watch(new RedisClientNotices(counters)),
        WovenClassCache.standard());
  }

  /** The classes {@link #transformer} weaves or watches, by binary name. */
  static Set<String> classNames() {
    Set<String> names = new HashSet<>(JedisInstrumentation.classNames());
    names.addAll(LettuceInstrumentation.classNames());
    names.addAll(RedissonInstrumentation.classNames());
    names.addAll(ObservedModelInstrumentation.classNames()); // not a Redis client: model spans made elsewhere
    names.addAll(RedisClientNotices.CLASSES);
    return names;
  }
}
