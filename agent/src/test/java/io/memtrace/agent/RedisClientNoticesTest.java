package io.memtrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.instrumentation.lettuce.common.FakeLettuceJar;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What memtrace says when an application loads a Redis client, by the classes its version has. */
class RedisClientNoticesTest {

  private static final String PROTOCOL_VERSION = "io.lettuce.core.protocol.ProtocolVersion"; // added in 6.0
  private static final String EXCEPTION_FACTORY = "io.lettuce.core.ExceptionFactory"; // 5.1 to 5.x

  @Test
  void shouldSayLettuce6And7AreTracedNamingTheReleaseWhenKnown() {
    assertThat(RedisClientNotices.notice(RedisClientNotices.LETTUCE, Set.of(PROTOCOL_VERSION)::contains))
        .isEqualTo("Lettuce 6.x-7.x found: its sync, async and reactive commands are traced");
    assertThat(RedisClientNotices.notice(RedisClientNotices.LETTUCE, Set.of(PROTOCOL_VERSION)::contains,
        "7.0.0.RELEASE")).isEqualTo("Lettuce 7.0.0.RELEASE found: its sync, async and reactive commands are traced");
  }

  @Test
  void shouldSayLettuce5IsTraced() {
    assertThat(RedisClientNotices.notice(RedisClientNotices.LETTUCE, Set.of(EXCEPTION_FACTORY)::contains,
        "5.3.7.RELEASE")).isEqualTo("Lettuce 5.3.7.RELEASE found: its sync, async and reactive commands are traced");
    assertThat(RedisClientNotices.notice(RedisClientNotices.LETTUCE, Set.of(EXCEPTION_FACTORY)::contains))
        .startsWith("Lettuce 5.x found").endsWith(RedisClientNotices.TRACED);
  }

  @Test
  void shouldSayLettuce50AndANewerMajorReleaseAreNotTraced() {
    assertThat(RedisClientNotices.notice(RedisClientNotices.LETTUCE, name -> false))
        .isEqualTo("Lettuce 5.0 found: memtrace does not trace its Redis commands (it traces Lettuce 5.1-7.x and Jedis 3-8)");
    assertThat(RedisClientNotices.notice(RedisClientNotices.LETTUCE, Set.of(PROTOCOL_VERSION)::contains,
        "8.0.0.RELEASE")).isEqualTo("Lettuce 8.0.0.RELEASE found: memtrace does not trace its Redis commands yet "
            + "(it traces Lettuce 5.1-7.x and Jedis 3-8)");
  }

  @Test
  void shouldSayRedissonIsNotTracedAndNothingOfOtherClasses() {
    assertThat(RedisClientNotices.notice(RedisClientNotices.REDISSON, name -> false))
        .startsWith("Redisson found: memtrace does not trace its Redis commands");
    assertThat(RedisClientNotices.notice("io.lettuce.core.RedisClient", name -> true)).isNull();
  }

  /**
   * A class loader whose Lettuce jar has 6.0's marker but says in its manifest that it is 8.0: the
   * release is read from the jar, once, at INFO, and nothing is transformed.
   */
  @Test
  void shouldSayOnceThatANewerMajorLettuceIsNotTracedAndTransformNothing(@TempDir Path dir) throws Exception {
    Path jar = FakeLettuceJar.write(dir.resolve("lettuce-core-8.0.0.RELEASE.jar"), "8.0.0.RELEASE/0123abc",
        RedisClientNotices.LETTUCE, PROTOCOL_VERSION);
    TypeDescription client = new TypeDescription.Latent(RedisClientNotices.LETTUCE,
        Visibility.PUBLIC.getMask(), TypeDescription.Generic.OBJECT);
    RedisClientNotices notices = new RedisClientNotices();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(notices.matches(client, loader, null, null, null)).isFalse();
      assertThat(notices.matches(client, loader, null, null, null)).isFalse();
    } finally {
      System.setErr(before);
    }

    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("[memtrace] INFO Lettuce 8.0.0.RELEASE found: memtrace does not trace its Redis "
            + "commands yet (it traces Lettuce 5.1-7.x and Jedis 3-8)");
  }
}
