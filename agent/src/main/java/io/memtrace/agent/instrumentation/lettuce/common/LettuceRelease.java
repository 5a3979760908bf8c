package io.memtrace.agent.instrumentation.lettuce.common;

import io.memtrace.agent.instrumentation.JarManifest;
import java.util.jar.Attributes;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Which Lettuce release a class loader has, from the manifest of the jar its classes come from
 * ({@code Implementation-Version}, when {@code Implementation-Title} says Lettuce), read as a
 * resource: nothing of the application is loaded. Marker classes tell the families apart; only the
 * release can tell a major version that came after memtrace was built (a class it will remove or
 * add cannot be named in advance). Unknown (a repackaged jar, Lettuce 5.1's manifest that has no
 * version) is not a reason to stand aside: the markers decide then.
 */
public final class LettuceRelease {

  /** A class of every Lettuce release (5.0 on): its jar's manifest is Lettuce's. */
  static final String CLASS_NAME = "io.lettuce.core.AbstractRedisClient";

  private LettuceRelease() {
  }

  /** Lettuce's {@code Implementation-Version} in {@code loader} ("7.0.0.RELEASE"), or null. */
  public static String version(ClassLoader loader) {
    Attributes main = JarManifest.of(loader, CLASS_NAME);
    return main == null ? null : version(main);
  }

  /** The version of a manifest's main attributes, if they are Lettuce's ("7.0.0.RELEASE/ad591d5" is 7.0.0.RELEASE). */
  static String version(Attributes main) {
    String version = main.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
    if (!"Lettuce".equals(main.getValue(Attributes.Name.IMPLEMENTATION_TITLE)) || version == null) {
      return null;
    }
    int build = version.indexOf('/');
    return (build < 0 ? version : version.substring(0, build)).trim();
  }

  /** The major version of {@code version} ("7.0.0.RELEASE" is 7), or -1 when it does not start with one. */
  public static int major(String version) {
    int end = 0;
    while (version != null && end < version.length() && end < 4 && Character.isDigit(version.charAt(end))) {
      end++;
    }
    return end == 0 ? -1 : Integer.parseInt(version.substring(0, end));
  }

  /** Matches in class loaders whose Lettuce is not known to be newer than {@code major}. */
  public static AgentBuilder.RawMatcher atMost(int major) {
    return (type, loader, module, classBeingRedefined, domain) -> major(version(loader)) <= major;
  }
}
