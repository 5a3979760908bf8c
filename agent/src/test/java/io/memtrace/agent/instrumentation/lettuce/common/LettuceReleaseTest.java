package io.memtrace.agent.instrumentation.lettuce.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.instrumentation.FakeClientJar;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.jar.Attributes;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which Lettuce release a class loader has, read from its jar's manifest. */
class LettuceReleaseTest {

  @Test
  void shouldReadTheReleaseOfLettucesOwnManifestOnly() {
    assertThat(LettuceRelease.version(attributes("Lettuce", "7.0.0.RELEASE/ad591d5"))).isEqualTo("7.0.0.RELEASE");
    assertThat(LettuceRelease.version(attributes("Lettuce", "5.3.7.RELEASE"))).isEqualTo("5.3.7.RELEASE");
    assertThat(LettuceRelease.version(attributes("my-app", "1.0"))).as("a repackaged jar's manifest").isNull();
    assertThat(LettuceRelease.version(attributes(null, null))).as("5.1's manifest names no version").isNull();
  }

  @Test
  void shouldTakeTheMajorVersionOrMinusOne() {
    assertThat(LettuceRelease.major("7.0.0.RELEASE")).isEqualTo(7);
    assertThat(LettuceRelease.major("10.1.0")).isEqualTo(10);
    assertThat(LettuceRelease.major(null)).isEqualTo(-1);
    assertThat(LettuceRelease.major("RELEASE")).isEqualTo(-1);
    assertThat(LettuceRelease.major("123456789")).as("no overflow").isEqualTo(1234);
  }

  /** The class path's Lettuce (6.6.0.RELEASE, what the agent compiles against) and a jar that says it is 8.0. */
  @Test
  void shouldFindTheReleaseOfTheJarLettuceIsLoadedFromAndStandAsideForANewerMajor(@TempDir Path dir) throws Exception {
    assertThat(LettuceRelease.version(getClass().getClassLoader())).isEqualTo("6.6.0.RELEASE");
    TypeDescription endpoint = new TypeDescription.Latent(LettuceCommandPath.ENDPOINT,
        Visibility.PUBLIC.getMask(), TypeDescription.Generic.OBJECT);
    assertThat(LettuceRelease.atMost(7).matches(endpoint, getClass().getClassLoader(), null, null, null)).isTrue();

    Path jar = FakeClientJar.lettuce(dir.resolve("lettuce.jar"), "8.0.0.RELEASE", "io.lettuce.core.AbstractRedisClient");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      assertThat(LettuceRelease.version(loader)).isEqualTo("8.0.0.RELEASE");
      assertThat(LettuceRelease.atMost(7).matches(endpoint, loader, null, null, null)).isFalse();
    }
    try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
      assertThat(LettuceRelease.version(empty)).as("no Lettuce").isNull();
      assertThat(LettuceRelease.atMost(7).matches(endpoint, empty, null, null, null)).as("unknown: markers decide").isTrue();
    }
  }

  private static Attributes attributes(String title, String version) {
    Attributes main = new Attributes();
    if (title != null) {
      main.put(Attributes.Name.IMPLEMENTATION_TITLE, title);
    }
    if (version != null) {
      main.put(Attributes.Name.IMPLEMENTATION_VERSION, version);
    }
    return main;
  }
}
