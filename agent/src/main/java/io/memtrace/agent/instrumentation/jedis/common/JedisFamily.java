package io.memtrace.agent.instrumentation.jedis.common;

import io.memtrace.agent.instrumentation.KnownTypes;
import java.util.Set;

/**
 * The instrumentation of one Jedis version family, in its own package ({@code v3_0}, {@code v4_0}):
 * it switches itself on only where a marker class of its versions is present, so families never
 * both apply to one class loader.
 */
public interface JedisFamily {

  /** Binary names of the classes it transforms, which the start-up gate holds back until ready. */
  Set<String> classNames();

  /** Adds its transformations to {@code types}. */
  KnownTypes install(KnownTypes types);
}
