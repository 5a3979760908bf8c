package io.memtrace.agent.instrumentation.lettuce;

import io.memtrace.agent.instrumentation.KnownTypes;
import io.memtrace.agent.instrumentation.lettuce.v6_0.Lettuce6Instrumentation;
import java.util.Set;

/**
 * Lettuce, one version family per package ({@code v6_0}), each switched on only where its marker
 * classes say the application's Lettuce is of its versions. Other versions are not traced, and
 * memtrace says so once when one loads.
 */
public final class LettuceInstrumentation {

  private LettuceInstrumentation() {
  }

  /** Every class some family transforms, by binary name (the start-up gate holds them). */
  public static Set<String> classNames() {
    return Lettuce6Instrumentation.classNames();
  }

  public static KnownTypes install(KnownTypes types) {
    return Lettuce6Instrumentation.install(types);
  }
}
