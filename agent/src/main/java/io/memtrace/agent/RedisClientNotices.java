package io.memtrace.agent;

import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.instrumentation.ClassMarkers;
import io.memtrace.agent.instrumentation.JarManifest;
import io.memtrace.agent.instrumentation.lettuce.common.LettuceRelease;
import io.memtrace.agent.instrumentation.lettuce.v5_1.Lettuce5Instrumentation;
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
 * Redis commands make no spans should learn why from the log, not guess. A client it does not trace
 * is said at INFO and named in the health counters ({@code memtrace.redis.clients.untraced}); one it
 * traces at debug. A matcher that never matches (it transforms nothing); it looks at the name of each
 * class loaded, and at the markers and manifest of a client's jar only when a client's entry class loads.
 */
final class RedisClientNotices implements AgentBuilder.RawMatcher {

  /** The base of Lettuce's standalone and cluster clients, in every version. */
  static final String LETTUCE = "io.lettuce.core.AbstractRedisClient";
  static final String REDISSON = "org.redisson.Redisson";
  /** The classes it looks at. */
  static final Set<String> CLASSES = Set.of(LETTUCE, REDISSON);
  private static final String TRACES = "(it traces Jedis 3-8, Lettuce 5.1-7.x and Redisson 3.16.8-3.x)";

  /** What is said of one client: the line, whether it is traced, and the client as the health counter names it. */
  static final class Notice {
    final String text;
    final boolean traced;
    final String client;

    Notice(String client, boolean traced, String text) {
      this.client = client;
      this.traced = traced;
      this.text = client + " found: " + text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  private final HealthCounters health;
  private final Set<String> told = ConcurrentHashMap.newKeySet();

  RedisClientNotices(HealthCounters health) {
    this.health = health;
  }

  @Override
  public boolean matches(TypeDescription type, ClassLoader loader, JavaModule module,
      Class<?> classBeingRedefined, ProtectionDomain domain) {
    String name = type.getName();
    if (name.equals(LETTUCE) || name.equals(REDISSON)) {
      Predicate<String> present = className -> ClassMarkers.has(loader, className);
      Notice notice = name.equals(LETTUCE)
          ? lettuce(present, LettuceRelease.version(loader)) : redisson(present, JarManifest.version(loader, REDISSON));
      if (told.add(notice.text)) {
        if (notice.traced) {
          AgentLog.debug(notice.text);
        } else {
          AgentLog.info(notice.text);
          health.untraced(notice.client);
        }
      }
    }
    return false;
  }

  /** What to say of a Lettuce whose loader has the classes {@code present} tells, of release {@code version} (null: unknown). */
  static Notice lettuce(Predicate<String> present, String version) {
    if (present.test(Lettuce6Instrumentation.MARKER)) {
      return LettuceRelease.major(version) > Lettuce6Instrumentation.NEWEST_MAJOR
          ? new Notice(named("Lettuce", version, ""), false, "memtrace does not trace its Redis commands yet " + TRACES)
          : new Notice(named("Lettuce", version, "6.x-7.x"), true, "its sync, async and reactive commands are traced");
    }
    if (present.test(Lettuce5Instrumentation.MARKER)) {
      return new Notice(named("Lettuce", version, "5.x"), true, "its sync, async and reactive commands are traced");
    }
    return new Notice(named("Lettuce", version, "5.0"), false, "memtrace does not trace its Redis commands " + TRACES);
  }

  /** What to say of a Redisson whose loader has the classes {@code present} tells, of version {@code version}. */
  static Notice redisson(Predicate<String> present, String version) {
    return Redisson3Instrumentation.inFamily(present)
        ? new Notice(named("Redisson", version, "3.x"), true, "its sync, async, reactive and RxJava commands are traced")
        : new Notice(named("Redisson", version, "3.x"), false, "memtrace does not trace its Redis commands " + TRACES);
  }

  /** The client and its release, or the versions its marker classes tell when the release is unknown. */
  private static String named(String client, String version, String family) {
    return client + " " + (version != null ? version : family);
  }
}
