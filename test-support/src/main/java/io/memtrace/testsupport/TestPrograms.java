package io.memtrace.testsupport;

import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The small programs the forked-JVM tests run, compiled at test time against the library jars the build
 * copied into {@link BuildPaths#IT_LIBS} (one folder per class path), so that each runs on exactly the
 * client version it names and nothing of the test's own class path.
 */
public final class TestPrograms {

  /** Where a module keeps its programs' sources. */
  public static final Path SOURCES = Paths.get("src/test/resources/programs").toAbsolutePath();

  private TestPrograms() {
  }

  /**
   * Compiles the named sources of {@link #SOURCES} for Java 11 into {@code IT_WORK/classes-name}; the class
   * path to run them with (those classes, then {@code classPath}).
   */
  public static String compile(String name, String classPath, String... sources) throws IOException {
    return compileForRelease(name, "11", classPath, sources);
  }

  /** As {@link #compile}, for programs that need a newer language level. */
  public static String compileForRelease(String name, String release, String classPath, String... sources)
      throws IOException {
    Path[] files = new Path[sources.length];
    for (int i = 0; i < sources.length; i++) {
      files[i] = SOURCES.resolve(sources[i]);
    }
    return compileInto(BuildPaths.IT_WORK.resolve("classes-" + name), release, classPath, files);
  }

  /**
   * Compiles {@code sources} for Java {@code release} into {@code out}; the class path {@code out} then {@code classPath}.
   * Once per build for the same inputs: a stamp beside {@code out} names them (the JDK, the release, the class path
   * with each jar's size and time, each source's text), and a later call with the same ones, from another test or
   * another test JVM of the module, runs what is there. Each javac run cost a test JVM a second or more of CPU, and the
   * agent's tests asked for the same programs dozens of times a run.
   */
  public static synchronized String compileInto(Path out, String release, String classPath, Path... sources)
      throws IOException {
    String runWith = out + File.pathSeparator + classPath;
    String inputs = inputs(release, classPath, sources);
    Path stamp = out.resolveSibling(out.getFileName() + ".inputs");
    if (Files.isRegularFile(stamp) && Files.readString(stamp).equals(inputs)) {
      return runWith;
    }
    Files.deleteIfExists(stamp);
    Files.createDirectories(out);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> options = new ArrayList<>(List.of("-d", out.toString(), "-cp", classPath, "--release", release,
        "-nowarn"));
    for (Path source : sources) {
      options.add(source.toAbsolutePath().toString());
    }
    int rc = javac.run(null, null, System.err, options.toArray(new String[0]));
    if (rc != 0) {
      throw new AssertionError("javac of " + List.of(sources) + " failed (" + rc + "); its errors are above");
    }
    // written whole, then moved into place: another test JVM reads either no stamp or a whole one
    Path written = Files.createTempFile(out.getParent(), out.getFileName().toString(), ".inputs-tmp");
    Files.writeString(written, inputs);
    Files.move(written, stamp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return runWith;
  }

  /** What a compilation's classes depend on, as text: two calls with equal texts compile the same classes. */
  private static String inputs(String release, String classPath, Path... sources) throws IOException {
    StringBuilder text = new StringBuilder(System.getProperty("java.version")).append('\n').append(release).append('\n');
    for (String entry : classPath.split(File.pathSeparator)) {
      Path path = Path.of(entry);
      text.append(entry);
      if (Files.isRegularFile(path)) {
        text.append(' ').append(Files.size(path)).append(' ').append(Files.getLastModifiedTime(path).toMillis());
      }
      text.append('\n');
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path source : sources) {
        text.append(source.toAbsolutePath()).append(' ')
            .append(new BigInteger(1, sha.digest(Files.readAllBytes(source))).toString(16)).append('\n');
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return text.toString();
  }

  /** The jars of these folders of {@link BuildPaths#IT_LIBS}, in order, as a class path. */
  public static String libraryClassPath(String... folders) throws IOException {
    List<Path> jars = new ArrayList<>();
    for (String folder : folders) {
      jars.addAll(jarsIn(BuildPaths.IT_LIBS.resolve(folder)));
    }
    return jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  /** One Jedis version ({@code it-libs/jedis-VERSION}) and its common dependencies ({@code it-libs/common}). */
  public static String jedisClassPath(String version) throws IOException {
    return libraryClassPath("jedis-" + version, "common");
  }

  /** The jars in {@code dir}, sorted by name. */
  public static List<Path> jarsIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
    }
  }
}
