package io.memtrace.agent;

import io.memtrace.agent.instrumentation.ClassMarkers;
import io.memtrace.agent.instrumentation.lettuce.common.LettuceRelease;
import io.memtrace.agent.instrumentation.lettuce.v5_1.Lettuce5Instrumentation;
import io.memtrace.agent.instrumentation.lettuce.v6_0.Lettuce6Instrumentation;
import io.memtrace.agent.util.AgentLog;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.utility.JavaModule;

/**
 * Says once, when the application loads a Redis client, whether memtrace traces it: a user whose
 * Redis commands make no spans should learn why from the log, not guess. A matcher that never
 * matches (it transforms nothing); it looks at the name of each class loaded, and at the markers
 * of a client's version only when a client's entry class loads.
 */
final class RedisClientNotices implements AgentBuilder.RawMatcher {

  /** The base of Lettuce's standalone and cluster clients, in every version. */
  static final String LETTUCE = "io.lettuce.core.AbstractRedisClient";
  static final String REDISSON = "org.redisson.Redisson";
  /** How a notice that a client is traced ends (said at debug level; the others at info). */
  static final String TRACED = " are traced";
  private static final String LETTUCE_TRACED = "(it traces Lettuce 5.1-7.x and Jedis 3-8)";
  /** The classes it looks at. */
  static final Set<String> CLASSES = Set.of(LETTUCE, REDISSON);

  private final Set<String> told = ConcurrentHashMap.newKeySet();

  @Override
  public boolean matches(TypeDescription type, ClassLoader loader, JavaModule module,
      Class<?> classBeingRedefined, ProtectionDomain domain) {
    String name = type.getName();
    if (name.equals(LETTUCE) || name.equals(REDISSON)) {
      String notice = notice(name, className -> ClassMarkers.has(loader, className),
          name.equals(LETTUCE) ? LettuceRelease.version(loader) : null);
      if (notice != null && told.add(notice)) {
        if (notice.endsWith(TRACED)) {
          AgentLog.debug(notice);
        } else {
          AgentLog.info(notice);
        }
      }
    }
    return false;
  }

  /**
   * What to say when {@code className} loads where {@code present} tells which classes exist;
   * null for a class that is not a client's entry.
   */
  static String notice(String className, Predicate<String> present) {
    return notice(className, present, null);
  }

  /** {@link #notice(String, Predicate)}, {@code version} being the client's release if known. */
  static String notice(String className, Predicate<String> present, String version) {
    if (className.equals(REDISSON)) {
      return "Redisson found: memtrace does not trace its Redis commands (it traces Jedis 3-8 and Lettuce 6.x)";
    }
    if (!className.equals(LETTUCE)) {
      return null;
    }
    if (present.test(Lettuce6Instrumentation.MARKER)) {
      return LettuceRelease.major(version) > Lettuce6Instrumentation.NEWEST_MAJOR
          ? lettuce(version, "") + " found: memtrace does not trace its Redis commands yet " + LETTUCE_TRACED
          : lettuce(version, "6.x-7.x") + " found: its sync, async and reactive commands" + TRACED;
    }
    if (present.test(Lettuce5Instrumentation.MARKER)) {
      return lettuce(version, "5.x") + " found: its sync, async and reactive commands" + TRACED;
    }
    return lettuce(version, "5.0") + " found: memtrace does not trace its Redis commands " + LETTUCE_TRACED;
  }

  /** "Lettuce" and its release, or the versions its marker classes tell when the release is unknown. */
  private static String lettuce(String version, String family) {
    return "Lettuce " + (version != null ? version : family);
  }
}
