package io.memtrace.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A class-data-sharing archive of the built collector jar's classes (the JDK's dynamic AppCDS archive), for the JVMs
 * the tests start on that jar: {@code serve}, its bounded-heap child, the commands, {@link CollectorShell}. Such a
 * JVM maps the classes a {@code serve} loaded, already parsed and verified, instead of reading each from the jar: the
 * same classes of the same jar run (the JVM checks the jar's size and time against the archive's and ignores an
 * archive that does not match), only the start costs less CPU. A hundred JVMs start on the jar in a test run.
 *
 * <p>Made once per built jar, beside it ({@code memtrace-collector.jsa}), by the first test JVM that needs it: a
 * {@code serve} on a scratch store started with {@code -XX:ArchiveClassesAtExit}, sent a span, asked a report and
 * stopped. Test JVMs of several modules may ask at once; a file lock lets one make it. Where it cannot be made, the
 * JVMs start without it, as before. {@code serve}'s start to its first answer: 1.4-1.6 s of CPU with the archive,
 * 1.7-2.0 s without (2026-12-01, load 3-18).
 */
public final class CollectorArchive {

  /** {@code -Dmemtrace.collector.archive=false}: the JVMs start without it, to compare. */
  private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("memtrace.collector.archive", "true"));
  private static final String LAUNCHER = "io.memtrace.collector.boot.CollectorLauncher";
  /** One span in OTLP/JSON: a Redis GET of one service. */
  private static final String SPAN = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
      + "\"value\":{\"stringValue\":\"cds\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":"
      + "\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"GET\",\"kind\":3,"
      + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":\"1700000000001000000\","
      + "\"attributes\":[{\"key\":\"db.system\",\"value\":{\"stringValue\":\"redis\"}},{\"key\":"
      + "\"db.statement\",\"value\":{\"stringValue\":\"GET user:1\"}}]}]}]}]}";
  private static final Object MADE_HERE = new Object();
  private static volatile Path archive;
  private static volatile boolean tried;

  private CollectorArchive() {
  }

  /**
   * The options that make a JVM on {@code java} with the collector jar as its {@code jar}, or first on its class path
   * when there is no jar, use the archive; none for another JVM, or where the archive could not be made.
   */
  static List<String> options(Path java, Path jar, String classPath) {
    return options(java, jar != null ? jar : firstOf(classPath));
  }

  private static Path firstOf(String classPath) {
    if (classPath == null) {
      return null;
    }
    int end = classPath.indexOf(File.pathSeparatorChar);
    String first = end < 0 ? classPath : classPath.substring(0, end);
    return first.isEmpty() ? null : Path.of(first);
  }

  /** {@link #options(Path, Path, String)} for a JVM whose class path starts with {@code firstOnClassPath}. */
  static List<String> options(Path java, Path firstOnClassPath) {
    if (!ENABLED || !java.equals(BuildPaths.JAVA) || firstOnClassPath == null
        || !firstOnClassPath.toAbsolutePath().normalize().equals(BuildPaths.COLLECTOR_JAR)) {
      return List.of();
    }
    Path made = archive();
    // cds off: an archive the JVM finds stale is ignored in silence, not with a warning in the program's output
    return made == null ? List.of() : List.of("-XX:SharedArchiveFile=" + made, "-Xlog:cds=off,cds+dynamic=off");
  }

  /** The archive of the built collector jar, made first if it is missing or older than the jar; null if it cannot be. */
  static Path archive() {
    if (tried) {
      return archive;
    }
    synchronized (MADE_HERE) {
      if (!tried) {
        archive = make(BuildPaths.COLLECTOR_JAR);
        tried = true;
      }
      return archive;
    }
  }

  private static Path make(Path jar) {
    if (!Files.isRegularFile(jar)) {
      return null;
    }
    Path jsa = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", "") + ".jsa");
    try (FileChannel lockFile = FileChannel.open(jar.resolveSibling(jsa.getFileName() + ".lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
      if (Files.isRegularFile(jsa) && Files.getLastModifiedTime(jsa).compareTo(Files.getLastModifiedTime(jar)) > 0) {
        return jsa;
      }
      Path work = Files.createTempDirectory(jar.getParent(), "cds-");
      Path made = work.resolve("memtrace-collector.jsa");
      if (!train(jar, made, work) || !Files.isRegularFile(made) || Files.size(made) == 0) {
        return null;
      }
      Files.move(made, jsa, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return jsa;
    } catch (IOException | RuntimeException e) {
      System.err.println("CollectorArchive: no class-data archive of " + jar + ": " + e);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * What most tests ask of a {@code serve}, so that its classes are in the archive too: a span sent, the status and a
   * report asked. Their answers do not matter here.
   */
  private static void exercise(Path err, Path token) throws IOException, InterruptedException {
    Matcher port = Pattern.compile("listening on http://[^:]+:(\\d+)").matcher(Files.readString(err));
    if (!port.find() || !Files.isRegularFile(token)) {
      return;
    }
    URI base = URI.create("http://127.0.0.1:" + port.group(1));
    String bearer = "Bearer " + Files.readString(token).strip();
    HttpClient http = HttpClient.newHttpClient();
    Duration limit = Duration.ofSeconds(60);
    http.send(HttpRequest.newBuilder(base.resolve("/v1/traces")).timeout(limit)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(SPAN))
        .build(), HttpResponse.BodyHandlers.discarding());
    for (String path : List.of("/api/status", "/api/report", "/api/report?layer=redis")) {
      http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(limit).header("Authorization", bearer)
          .build(), HttpResponse.BodyHandlers.discarding());
    }
  }

  /** A {@code serve} (the bounded-heap child's command, with its heap given) until it listens, then SIGTERM. */
  private static boolean train(Path jar, Path made, Path work) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(BuildPaths.JAVA.toString()));
    cmd.addAll(ForkedJvm.CHEAP_START);
    cmd.addAll(List.of("-Xmx256m", "-XX:ArchiveClassesAtExit=" + made, "-Xlog:cds=off,cds+dynamic=off", "-cp",
        jar.toString(), LAUNCHER, "serve", "--port", "0", "--data", work.resolve("data").toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    new ForkedEnvironment().applyTo(pb.environment());
    Path err = work.resolve("stderr.txt");
    Process serve = pb.redirectOutput(work.resolve("stdout.txt").toFile())
        .redirectError(err.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(err).contains("listening on")) {
        if (!serve.isAlive() || System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(50);
      }
      try {
        exercise(err, work.resolve("data").resolve("api-token"));
      } catch (IOException e) {
        // an archive of the classes loaded so far is still one
      }
      serve.destroy();
      return serve.waitFor(60, TimeUnit.SECONDS);
    } finally {
      serve.destroyForcibly();
    }
  }
}
