package io.memtrace.agent.instrumentation.jedis.common;

import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * The instrumentation of one Jedis version family, in its own package ({@code v3_0}, {@code v4_0}):
 * it switches itself on only where a marker class of its versions is present, so families never
 * both apply to one class loader.
 */
public interface JedisFamily {

  /** Binary names of the classes it transforms, which the start-up gate holds back until ready. */
  Set<String> classNames();

  /** Adds its transformations to {@code builder}. */
  AgentBuilder install(AgentBuilder builder);
}
