package io.memtrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.instrumentation.FakeClientJar;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What memtrace says when an application loads a Redis client, by the classes its version has and the release
 * its jar declares; a client it does not trace is also named in the health counters.
 */
class RedisClientNoticesTest {

  private static final String PROTOCOL_VERSION = "io.lettuce.core.protocol.ProtocolVersion"; // added in 6.0
  private static final String EXCEPTION_FACTORY = "io.lettuce.core.ExceptionFactory"; // 5.1 to 5.x
  private static final String FUTURE_WRAPPER = "org.redisson.misc.CompletableFutureWrapper"; // added in 3.16.7
  private static final String PROMISE_DELEGATOR = "org.redisson.misc.PromiseDelegator"; // removed in 3.16.8
  private static final String TRACES = "(it traces Jedis 3-8, Lettuce 5.1-7.x and Redisson 3.16.8-3.x)";

  @Test
  void shouldSayLettuce5To7AreTracedNamingTheReleaseWhenKnown() {
    assertThat(RedisClientNotices.lettuce(Set.of(PROTOCOL_VERSION)::contains, null).text)
        .isEqualTo("Lettuce 6.x-7.x found: its sync, async and reactive commands are traced");
    RedisClientNotices.Notice seven = RedisClientNotices.lettuce(Set.of(PROTOCOL_VERSION)::contains, "7.0.0.RELEASE");
    assertThat(seven.text).isEqualTo("Lettuce 7.0.0.RELEASE found: its sync, async and reactive commands are traced");
    assertThat(seven.traced).isTrue();
    assertThat(RedisClientNotices.lettuce(Set.of(EXCEPTION_FACTORY)::contains, "5.3.7.RELEASE").text)
        .isEqualTo("Lettuce 5.3.7.RELEASE found: its sync, async and reactive commands are traced");
    assertThat(RedisClientNotices.lettuce(Set.of(EXCEPTION_FACTORY)::contains, null).text).startsWith("Lettuce 5.x found");
  }

  @Test
  void shouldSayLettuce50AndANewerMajorReleaseAreNotTraced() {
    RedisClientNotices.Notice old = RedisClientNotices.lettuce(name -> false, null);
    assertThat(old.text).isEqualTo("Lettuce 5.0 found: memtrace does not trace its Redis commands " + TRACES);
    assertThat(old.traced).isFalse();
    assertThat(old.client).isEqualTo("Lettuce 5.0");
    assertThat(RedisClientNotices.lettuce(Set.of(PROTOCOL_VERSION)::contains, "8.0.0.RELEASE").text)
        .isEqualTo("Lettuce 8.0.0.RELEASE found: memtrace does not trace its Redis commands yet " + TRACES);
  }

  @Test
  void shouldSayRedisson3From3168IsTracedAndOlderIsNotWithItsVersion() {
    RedisClientNotices.Notice traced = RedisClientNotices.redisson(Set.of(FUTURE_WRAPPER)::contains, "3.52.0");
    assertThat(traced.text).isEqualTo("Redisson 3.52.0 found: its sync, async, reactive and RxJava commands are traced");
    assertThat(traced.traced).isTrue();
    assertThat(RedisClientNotices.redisson(Set.of(FUTURE_WRAPPER, PROMISE_DELEGATOR)::contains, "3.16.7").text)
        .isEqualTo("Redisson 3.16.7 found: memtrace does not trace its Redis commands " + TRACES);
    assertThat(RedisClientNotices.redisson(Set.of(PROMISE_DELEGATOR)::contains, null).text)
        .startsWith("Redisson 3.x found: memtrace does not trace its Redis commands");
  }

  /**
   * A class loader whose Lettuce jar has 6.0's marker but says in its manifest that it is 8.0, and one with a
   * Redisson 3.16.0 (RPromise's day): each is said once at INFO, with the release read from its jar, named in the
   * health counters, and nothing is transformed. A traced client is not named there.
   */
  @Test
  void shouldSayOnceThatAClientIsNotTracedNameItInTheHealthCountersAndTransformNothing(@TempDir Path dir)
      throws Exception {
    Path lettuce = FakeClientJar.lettuce(dir.resolve("lettuce-core-8.0.0.RELEASE.jar"), "8.0.0.RELEASE/0123abc",
        RedisClientNotices.LETTUCE, PROTOCOL_VERSION);
    Path oldRedisson = FakeClientJar.write(dir.resolve("redisson-3.16.0.jar"), "Redisson", "3.16.0",
        RedisClientNotices.REDISSON, PROMISE_DELEGATOR);
    Path redisson = FakeClientJar.write(dir.resolve("redisson-3.52.0.jar"), "Redisson", "3.52.0",
        RedisClientNotices.REDISSON, FUTURE_WRAPPER);
    HealthCounters health = new HealthCounters();
    RedisClientNotices notices = new RedisClientNotices(health);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    try (URLClassLoader lettuceLoader = new URLClassLoader(new URL[] {lettuce.toUri().toURL()}, null);
        URLClassLoader oldLoader = new URLClassLoader(new URL[] {oldRedisson.toUri().toURL()}, null);
        URLClassLoader newLoader = new URLClassLoader(new URL[] {redisson.toUri().toURL()}, null)) {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      for (int i = 0; i < 2; i++) {
        assertThat(notices.matches(type(RedisClientNotices.LETTUCE), lettuceLoader, null, null, null)).isFalse();
        assertThat(notices.matches(type(RedisClientNotices.REDISSON), oldLoader, null, null, null)).isFalse();
        assertThat(notices.matches(type(RedisClientNotices.REDISSON), newLoader, null, null, null)).isFalse();
      }
    } finally {
      System.setErr(before);
    }

    assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
        "[memtrace] INFO Lettuce 8.0.0.RELEASE found: memtrace does not trace its Redis commands yet " + TRACES,
        "[memtrace] INFO Redisson 3.16.0 found: memtrace does not trace its Redis commands " + TRACES);
    assertThat(health.untracedClients()).containsExactly("Lettuce 8.0.0.RELEASE", "Redisson 3.16.0");
    assertThat(health.summary()).endsWith(" untraced Redis clients: Lettuce 8.0.0.RELEASE, Redisson 3.16.0");
    assertThat(RedisClientNotices.CLASSES).containsExactlyInAnyOrderElementsOf(
        List.of(RedisClientNotices.LETTUCE, RedisClientNotices.REDISSON));
  }

  private static TypeDescription type(String name) {
    return new TypeDescription.Latent(name, Visibility.PUBLIC.getMask(), TypeDescription.Generic.OBJECT);
  }
}
