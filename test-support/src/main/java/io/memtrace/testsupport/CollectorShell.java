package io.memtrace.testsupport;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The collector jar's commands ({@code import}, {@code report}, ...) run one after the other in one forked JVM, for a
 * test that runs several per case: each is the jar's own command line ({@code CollectorLauncher.execute}, what
 * {@code java -jar memtrace-collector.jar} runs, DuckDB and all), its output in its own folder as
 * {@link ForkedJvm#run} leaves it, but the JVM starts once, and the later commands run on code the earlier ones
 * warmed up. A model-call truth seed's import and two reports took 10.6 s of CPU in three JVMs (2026-11-30).
 *
 * <p>{@link #close} ends the JVM and waits for it, so that its CPU counts in the test class that started it.
 */
public final class CollectorShell implements AutoCloseable {

  private static final String ANSWER = "collector-shell exit ";
  private static final String LAUNCHER = "io.memtrace.collector.boot.CollectorLauncher";

  private final Process process;
  private final Writer requests;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final Path stdout;
  private final Path stderr;
  private Duration timeout = Duration.ofMinutes(2);

  private CollectorShell(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8)); Writer rest = Files.newBufferedWriter(stdout)) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.startsWith(ANSWER)) {
            answers.add(line.substring(ANSWER.length()));
          } else {
            // what the JVM itself printed, a thread dump on SIGQUIT above all
            rest.write(line + "\n");
            rest.flush();
          }
        }
      } catch (IOException e) {
        // the JVM ended: run() says so
      }
    }, "collector-shell-answers");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the JVM on the built collector jar ({@link BuildPaths#COLLECTOR_JAR}), its own output in {@code dir}. */
  public static CollectorShell start(Path dir) throws IOException {
    if (!Files.exists(BuildPaths.COLLECTOR_JAR)) {
      throw new AssertionError("the collector jar (built by mvn package): " + BuildPaths.COLLECTOR_JAR);
    }
    String classPath = BuildPaths.COLLECTOR_JAR + File.pathSeparator + ownClassPath();
    ProcessBuilder pb = ForkedJvm.program(classPath, CollectorShell.class.getName()).processBuilder(dir);
    Path err = dir.resolve("stderr.txt");
    pb.redirectError(err.toFile());
    return new CollectorShell(pb.start(), dir.resolve("stdout.txt"), err);
  }

  /** The CPU time {@link #run} lets one command use (two minutes unless set), as {@link ForkedJvm#timeout} does. */
  public CollectorShell timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /**
   * {@code java -jar memtrace-collector.jar args} as {@link ForkedJvm#run} runs it: its output in {@code stdout.txt}
   * and {@code stderr.txt} of {@code dir} (created), its exit code. One command at a time: the answers come back in
   * the order the commands were sent.
   */
  public synchronized ForkedJvm.Result run(Path dir, String... args) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    StringBuilder request = new StringBuilder(dir.toAbsolutePath().toString());
    for (String arg : args) {
      if (arg.indexOf('\t') >= 0 || arg.indexOf('\n') >= 0 || arg.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("an argument with a tab or a line break: " + arg);
      }
      request.append('\t').append(arg);
    }
    long start = System.nanoTime();
    requests.write(request.append('\n').toString());
    requests.flush();
    String[] exit = {null};
    String why = new Progress(process.toHandle(), timeout, Progress.STALL_WINDOW).await(millis -> {
      exit[0] = answers.poll(millis, TimeUnit.MILLISECONDS);
      return exit[0] != null || !process.isAlive();
    });
    if (exit[0] == null && !process.isAlive()) {
      exit[0] = answers.poll(1, TimeUnit.SECONDS); // its last answer may still be on its way
    }
    if (exit[0] == null) {
      String threads = ThreadDumps.of(process, stdout);
      process.destroyForcibly();
      throw new AssertionError("the collector shell did not finish " + Arrays.asList(args)
          + (why == null ? " (it ended)" : ": it " + why) + "; its stderr:\n" + read(stderr) + "\n--- its threads\n"
          + threads);
    }
    return ForkedJvm.Result.inThisJvm(Integer.parseInt(exit[0]), read(dir.resolve("stdout.txt")),
        read(dir.resolve("stderr.txt")), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  /** Ends the JVM (its input closed, then by its pid after 30 s) and waits for it. */
  @Override
  public void close() throws InterruptedException {
    try {
      requests.close();
    } catch (IOException e) {
      // it ended already
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "";
  }

  private static String ownClassPath() {
    try {
      return Paths.get(CollectorShell.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The forked side: each line of its input is a folder and a command's arguments, tab separated; it runs the command
   * with its output in that folder and answers its exit code on a line of its own.
   */
  public static void main(String[] args) throws Exception {
    Method execute = Class.forName(LAUNCHER).getMethod("execute", String[].class);
    PrintStream answers = System.out;
    PrintStream errors = System.err;
    BufferedReader lines = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      List<String> fields = Arrays.asList(line.split("\t", -1));
      Path dir = Paths.get(fields.get(0));
      int exit;
      try (PrintStream out = new PrintStream(Files.newOutputStream(dir.resolve("stdout.txt")), false, "UTF-8");
          PrintStream err = new PrintStream(Files.newOutputStream(dir.resolve("stderr.txt")), false, "UTF-8")) {
        System.setOut(out);
        System.setErr(err);
        try {
          exit = (Integer) execute.invoke(null, (Object) fields.subList(1, fields.size()).toArray(new String[0]));
        } catch (InvocationTargetException e) {
          // as java -jar ends on an exception: its trace on stderr, exit 1
          e.getCause().printStackTrace();
          exit = 1;
        } finally {
          System.out.flush();
          System.err.flush();
          System.setOut(answers);
          System.setErr(errors);
        }
      }
      answers.println(ANSWER + exit);
      answers.flush();
    }
  }
}
