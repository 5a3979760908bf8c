package io.memtrace.agent;

import io.memtrace.agent.instrumentation.ClassMarkers;
import io.memtrace.agent.instrumentation.lettuce.v6_0.Lettuce6Instrumentation;
import io.memtrace.agent.instrumentation.redisson.v3_16_8.Redisson3Instrumentation;
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
  /** The classes it looks at. */
  static final Set<String> CLASSES = Set.of(LETTUCE, REDISSON);

  private static final String REDISSON_TRACED = "its sync, async, reactive and RxJava commands are traced";

  private final Set<String> told = ConcurrentHashMap.newKeySet();

  @Override
  public boolean matches(TypeDescription type, ClassLoader loader, JavaModule module,
      Class<?> classBeingRedefined, ProtectionDomain domain) {
    String name = type.getName();
    if (name.equals(LETTUCE) || name.equals(REDISSON)) {
      Predicate<String> present = className -> ClassMarkers.has(loader, className);
      String notice = name.equals(REDISSON) ? redisson(present, JarVersion.of(loader, REDISSON)) : notice(name, present);
      if (notice != null && told.add(notice)) {
        if (notice.startsWith("Lettuce 6") || notice.endsWith(REDISSON_TRACED)) {
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
    if (className.equals(REDISSON)) {
      return redisson(present, null);
    }
    if (!className.equals(LETTUCE)) {
      return null;
    }
    if (!present.test(Lettuce6Instrumentation.MARKER)) {
      return "Lettuce 5.x or older found: memtrace does not trace its Redis commands (it traces Lettuce 6.x and Jedis 3-8)";
    }
    if (!present.test(Lettuce6Instrumentation.REMOVED_IN_7)) {
      return "Lettuce 7 or newer found: memtrace does not trace its Redis commands yet (it traces Lettuce 6.x and Jedis 3-8)";
    }
    return "Lettuce 6.x found: its sync, async and reactive commands are traced";
  }

  /**
   * What to say of a Redisson whose loader has the classes {@code present} tells, of version
   * {@code version} (from its jar's manifest; null when unreadable).
   */
  static String redisson(Predicate<String> present, String version) {
    String found = "Redisson " + (version == null ? "3.x" : version) + " found: ";
    if (Redisson3Instrumentation.inFamily(present)) {
      return found + REDISSON_TRACED;
    }
    return found + "memtrace does not trace its Redis commands (it traces Redisson 3.16.8 and later 3.x, "
        + "Jedis 3-8 and Lettuce 6.x)";
  }
}
