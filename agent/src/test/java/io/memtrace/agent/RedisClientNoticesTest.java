package io.memtrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What memtrace says when an application loads a Redis client, by the classes its version has. */
class RedisClientNoticesTest {

  private static final String PROTOCOL_VERSION = "io.lettuce.core.protocol.ProtocolVersion"; // added in 6.0
  private static final String UTF8_CODEC = "io.lettuce.core.codec.Utf8StringCodec"; // removed in 7.0

  @Test
  void shouldSayLettuce6IsTraced() {
    assertThat(RedisClientNotices.notice(RedisClientNotices.LETTUCE, Set.of(PROTOCOL_VERSION, UTF8_CODEC)::contains))
        .startsWith("Lettuce 6.x found: its sync, async and reactive commands are traced");
  }

  @Test
  void shouldSayLettuce5AndLettuce7AreNotTraced() {
    assertThat(RedisClientNotices.notice(RedisClientNotices.LETTUCE, Set.of(UTF8_CODEC)::contains))
        .startsWith("Lettuce 5.x or older found: memtrace does not trace its Redis commands");
    assertThat(RedisClientNotices.notice(RedisClientNotices.LETTUCE, Set.of(PROTOCOL_VERSION)::contains))
        .startsWith("Lettuce 7 or newer found: memtrace does not trace its Redis commands");
  }

  private static final String FUTURE_WRAPPER = "org.redisson.misc.CompletableFutureWrapper"; // added in 3.16.7
  private static final String PROMISE_DELEGATOR = "org.redisson.misc.PromiseDelegator"; // removed in 3.16.8

  @Test
  void shouldSayRedisson3From3168IsTracedWithItsVersion() {
    assertThat(RedisClientNotices.redisson(Set.of(FUTURE_WRAPPER)::contains, "3.52.0"))
        .isEqualTo("Redisson 3.52.0 found: its sync, async, reactive and RxJava commands are traced");
  }

  @Test
  void shouldSayOlderRedissonIsNotTracedWithItsVersionAndNothingOfOtherClasses() {
    assertThat(RedisClientNotices.redisson(Set.of(FUTURE_WRAPPER, PROMISE_DELEGATOR)::contains, "3.16.7"))
        .startsWith("Redisson 3.16.7 found: memtrace does not trace its Redis commands (it traces Redisson 3.16.8");
    assertThat(RedisClientNotices.redisson(Set.of(PROMISE_DELEGATOR)::contains, null))
        .startsWith("Redisson 3.x found: memtrace does not trace its Redis commands");
    assertThat(RedisClientNotices.notice("io.lettuce.core.RedisClient", name -> true)).isNull();
  }

  /**
   * A class loader with a Redisson 3.16.0 jar (its manifest says so; RPromise's day): one INFO line
   * naming the version, read from the jar, and nothing transformed.
   */
  @Test
  void shouldSayOnceWithTheJarsVersionThatAnOldRedissonIsNotTraced(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("redisson-3.16.0.jar");
    java.util.jar.Manifest manifest = new java.util.jar.Manifest();
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.IMPLEMENTATION_VERSION, "3.16.0");
    try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest)) {
      for (String name : List.of(RedisClientNotices.REDISSON, PROMISE_DELEGATOR)) {
        out.putNextEntry(new java.util.jar.JarEntry(name.replace('.', '/') + ".class"));
        out.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
        out.closeEntry();
      }
    }
    TypeDescription client = new TypeDescription.Latent(RedisClientNotices.REDISSON,
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
        .containsExactly("[memtrace] INFO Redisson 3.16.0 found: memtrace does not trace its Redis commands "
            + "(it traces Redisson 3.16.8 and later 3.x, Jedis 3-8 and Lettuce 6.x)");
  }

  /** A class loader whose Lettuce is 5.x: it has the UTF-8 codec class, but no ProtocolVersion. */
  @Test
  void shouldSayOnceThatLettuce5IsNotTracedAndTransformNothing(@TempDir Path lettuce5) throws Exception {
    Path codec = lettuce5.resolve(UTF8_CODEC.replace('.', '/') + ".class");
    Files.createDirectories(codec.getParent());
    Files.write(codec, new byte[] {(byte) 0xCA, (byte) 0xFE});
    TypeDescription client = new TypeDescription.Latent(RedisClientNotices.LETTUCE,
        Visibility.PUBLIC.getMask(), TypeDescription.Generic.OBJECT);
    RedisClientNotices notices = new RedisClientNotices();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {lettuce5.toUri().toURL()}, null)) {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(notices.matches(client, loader, null, null, null)).isFalse();
      assertThat(notices.matches(client, loader, null, null, null)).isFalse();
    } finally {
      System.setErr(before);
    }

    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("[memtrace] INFO Lettuce 5.x or older found: memtrace does not trace its Redis "
            + "commands (it traces Lettuce 6.x and Jedis 3-8)");
  }
}
