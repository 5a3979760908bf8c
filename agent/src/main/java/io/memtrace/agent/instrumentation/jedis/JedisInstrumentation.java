package io.memtrace.agent.instrumentation.jedis;

import io.memtrace.agent.instrumentation.jedis.common.JedisFamily;
import io.memtrace.agent.instrumentation.jedis.v3_0.Jedis3Instrumentation;
import io.memtrace.agent.instrumentation.jedis.v4_0.Jedis4Instrumentation;
import io.memtrace.agent.instrumentation.KnownTypes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Jedis 3 to 8, one version family per package ({@code v3_0}, {@code v4_0}); each switches itself
 * on only where its marker class is present. Supporting another family is adding its package and
 * naming it here.
 */
public final class JedisInstrumentation {

  private static final List<JedisFamily> FAMILIES =
      List.of(new Jedis3Instrumentation(), new Jedis4Instrumentation());

  private JedisInstrumentation() {
  }

  /** Every class some family transforms, by binary name (the start-up gate holds them). */
  public static Set<String> classNames() {
    Set<String> names = new HashSet<>();
    for (JedisFamily family : FAMILIES) {
      names.addAll(family.classNames());
    }
    return Set.copyOf(names);
  }

  public static KnownTypes install(KnownTypes types) {
    for (JedisFamily family : FAMILIES) {
      family.install(types);
    }
    return types;
  }
}
