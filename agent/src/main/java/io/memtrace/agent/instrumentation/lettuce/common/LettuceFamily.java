package io.memtrace.agent.instrumentation.lettuce.common;

import io.memtrace.agent.instrumentation.KnownTypes;
import java.util.Set;

/**
 * The instrumentation of one Lettuce version family, in its own package ({@code v5_1},
 * {@code v6_0}): it switches itself on only where its marker classes say the application's Lettuce
 * is of its versions, so no two families apply to one class loader.
 */
public interface LettuceFamily {

  /** Binary names of the classes it transforms, which the start-up gate holds back until ready. */
  Set<String> classNames();

  /** Adds its transformations to {@code types}. */
  KnownTypes install(KnownTypes types);
}
