package io.memtrace.agent.instrumentation;

import io.memtrace.agent.util.AgentLog;
import io.memtrace.common.CacheRoot;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * What {@link KnownTypeTransformer} made of a class file in an earlier JVM, kept on disk under
 * {@code CACHE_ROOT/woven/AGENT/}: the woven class file, or an empty file where it left the class as
 * it was. A class file is found by the SHA-256 of where it was found (its jar), its name and its
 * bytes, and AGENT names the agent jar (its path, size and modification time), so another build of
 * memtrace never meets a stale entry, and neither does another release of a client whose family is
 * told by its release number (Lettuce's) even where a class file is the same in both.
 *
 * <p>Why: weaving needs Byte Buddy, some 700 classes to load and initialise (0.4 to 0.9 s of a core
 * on a busy 2-core machine), and a Redis client's first command waits for it. With the result kept,
 * a JVM started again with the same agent and client loads none of them.
 */
public final class WovenClassCache {

  /** Where nothing is kept and nothing is found: the agent runs from a directory, or no cache can be written. */
  public static final WovenClassCache NONE = new WovenClassCache(null);

  private static final String WOVEN = ".class";
  private static final String UNCHANGED = ".unchanged";
  private static final byte[] UNCHANGED_MARK = new byte[0];

  private final Path dir;
  private volatile boolean warned;

  WovenClassCache(Path dir) {
    this.dir = dir;
  }

  /** The cache of the agent jar memtrace runs from, under the user's {@link CacheRoot}. */
  public static WovenClassCache standard() {
    try {
      CodeSource source = WovenClassCache.class.getProtectionDomain().getCodeSource();
      File jar = source == null ? null : new File(source.getLocation().toURI());
      if (jar == null || !jar.isFile()) {
        return NONE; // classes from a build directory change without their jar's signature changing
      }
      String agent = hex(sha256((jar.getAbsolutePath() + '\0' + jar.length() + '\0' + jar.lastModified())
          .getBytes(StandardCharsets.UTF_8)), 16);
      return new WovenClassCache(CacheRoot.of(System.getenv(), System.getProperty("user.home"))
          .resolve("woven").resolve(agent));
    } catch (URISyntaxException | RuntimeException e) {
      return NONE;
    }
  }

  /**
   * What was made of {@code bytes}, the class file of {@code internalName} found at {@code source}
   * (its loader's URL for it, or ""): the woven class file, {@link #unchanged()} for none, or null
   * when unknown.
   */
  public byte[] find(String source, String internalName, byte[] bytes) {
    if (dir == null) {
      return null;
    }
    try {
      String key = key(source, internalName, bytes);
      Path woven = dir.resolve(key + WOVEN);
      if (Files.isRegularFile(woven)) {
        byte[] kept = Files.readAllBytes(woven);
        return isClassFile(kept) ? kept : null; // not what this class wrote: woven again, and replaced
      }
      return Files.isRegularFile(dir.resolve(key + UNCHANGED)) ? UNCHANGED_MARK : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The answer of {@link #find} for a class the transformer leaves as it is. */
  public static byte[] unchanged() {
    return UNCHANGED_MARK;
  }


  /** Keeps what was made of {@code bytes} ({@code null}: nothing); a failure is said once and costs nothing more. */
  public void keep(String source, String internalName, byte[] bytes, byte[] woven) {
    if (dir == null) {
      return;
    }
    try {
      CacheRoot.createPrivate(dir.getParent().getParent());
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        sweepOtherAgents(dir);
      }
      String key = key(source, internalName, bytes);
      Path target = dir.resolve(key + (woven == null ? UNCHANGED : WOVEN));
      // written beside its name and renamed: a JVM killed meanwhile leaves no half class behind a good name;
      // one part file per thread, since two loaders' copies of a class can be woven at once
      Path part = dir.resolve(key + ".part-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
      try {
        Files.write(part, woven == null ? UNCHANGED_MARK : woven);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(part);
      }
    } catch (IOException | RuntimeException e) {
      if (!warned) {
        warned = true;
        AgentLog.debug("cannot keep woven classes in " + dir + ": " + e + "; the next start weaves them again");
      }
    }
  }

  /**
   * The first start of an agent jar removes what other jars' starts kept and have not added to for {@link #IDLE}: every
   * build of the agent has a directory of its own, and without this they would pile up. A jar still in use merely
   * weaves its classes again at its next start.
   */
  static void sweepOtherAgents(Path current) {
    long idleSince = System.currentTimeMillis() - IDLE.toMillis();
    try (DirectoryStream<Path> agents = Files.newDirectoryStream(current.getParent())) {
      for (Path agent : agents) {
        if (!agent.equals(current) && Files.isDirectory(agent)
            && Files.getLastModifiedTime(agent).toMillis() < idleSince) {
          try (DirectoryStream<Path> entries = Files.newDirectoryStream(agent)) {
            for (Path entry : entries) {
              Files.deleteIfExists(entry);
            }
          }
          Files.deleteIfExists(agent);
        }
      }
    } catch (IOException | RuntimeException e) {
      // another start sweeping at once, or a file in use: what is left goes next time
    }
  }

  /** How long another agent jar's cache may go without a new class before a first start removes it. */
  static final Duration IDLE = Duration.ofDays(7);

  private static boolean isClassFile(byte[] bytes) {
    return bytes.length > 4 && (bytes[0] & 0xff) == 0xCA && (bytes[1] & 0xff) == 0xFE
        && (bytes[2] & 0xff) == 0xBA && (bytes[3] & 0xff) == 0xBE;
  }

  private static String key(String source, String internalName, byte[] bytes) {
    MessageDigest digest = digest();
    digest.update(source.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
    digest.update(internalName.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
    return hex(digest.digest(bytes), 32);
  }

  private static byte[] sha256(byte[] bytes) {
    return digest().digest(bytes);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has it
    }
  }

  private static String hex(byte[] bytes, int length) {
    StringBuilder text = new StringBuilder(length * 2);
    for (int i = 0; i < length; i++) {
      text.append(Character.forDigit((bytes[i] >> 4) & 0xf, 16)).append(Character.forDigit(bytes[i] & 0xf, 16));
    }
    return text.toString();
  }
}
