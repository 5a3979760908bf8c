package io.memtrace.agent.instrumentation.lettuce;

import io.memtrace.agent.instrumentation.KnownTypes;
import io.memtrace.agent.instrumentation.lettuce.common.LettuceFamily;
import io.memtrace.agent.instrumentation.lettuce.v5_1.Lettuce5Instrumentation;
import io.memtrace.agent.instrumentation.lettuce.v6_0.Lettuce6Instrumentation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lettuce 5.1 to 7.x, one version family per package ({@code v5_1}, {@code v6_0}), each switched
 * on only where its marker classes say the application's Lettuce is of its versions. Other
 * versions (5.0, a major release newer than memtrace) are not traced, and memtrace says so once
 * when one loads.
 */
public final class LettuceInstrumentation {

  private static final List<LettuceFamily> FAMILIES =
      List.of(new Lettuce5Instrumentation(), new Lettuce6Instrumentation());

  private LettuceInstrumentation() {
  }

  /** Every class some family transforms, by binary name (the start-up gate holds them). */
  public static Set<String> classNames() {
    Set<String> names = new HashSet<>();
    for (LettuceFamily family : FAMILIES) {
      names.addAll(family.classNames());
    }
    return Set.copyOf(names);
  }

  public static KnownTypes install(KnownTypes types) {
    for (LettuceFamily family : FAMILIES) {
      family.install(types);
    }
    return types;
  }
}
