package io.memtrace.agent.instrumentation.redisson;

import io.memtrace.agent.instrumentation.KnownTypes;
import io.memtrace.agent.instrumentation.redisson.v3_16_8.Redisson3Instrumentation;
import java.util.Set;

/**
 * Redisson, one version family per package ({@code v3_16_8}), each switched on only where its
 * marker classes say the application's Redisson is of its versions. Other versions are not
 * traced, and memtrace says so once when one loads.
 */
public final class RedissonInstrumentation {

  private RedissonInstrumentation() {
  }

  /** Every class some family transforms, by binary name (the start-up gate holds them). */
  public static Set<String> classNames() {
    return Redisson3Instrumentation.classNames();
  }

  public static KnownTypes install(KnownTypes types) {
    return Redisson3Instrumentation.install(types);
  }
}
