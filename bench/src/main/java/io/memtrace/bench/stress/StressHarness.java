package io.memtrace.bench.stress;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stress and fault suite ({@code bench/stress.sh}): runs the chosen scenarios one after
 * the other, each against its own Redis, collector and fault proxy, and writes
 * {@code stress-results.json}, {@code stress-report.md} and the charts after each one, so a run cut
 * short keeps what it found. A scenario that fails to run is reported as not holding, with why.
 */
public final class StressHarness {

  private StressHarness() {
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    StressOptions options;
    try {
      options = StressOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("stress.sh: " + e.getMessage() + "\n" + StressOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.list) {
      Scenarios.ALL.forEach(s -> System.out.printf("%-22s %s%n", s.name(), s.description()));
      return;
    }
    try {
      System.exit(run(options));
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("stress.sh: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  /** Runs the options' scenarios; 0 when every check held (or failures do not count), else 1. */
  static int run(StressOptions options) throws Exception {
    StressConfig config = StressConfig.load(options.config, options.mode);
    options.agentEnv.forEach(config::overrideAgentEnvironment);
    Layout layout = Layout.of(options.root);
    layout.check();
    List<Scenario> chosen = new ArrayList<>();
    if (options.quick) {
      config.quick().forEach(n -> chosen.add(Scenarios.named(n)));
    }
    options.scenarios.forEach(n -> chosen.add(Scenarios.named(n)));
    if (chosen.isEmpty()) {
      chosen.addAll(Scenarios.ALL);
    }
    chosen.forEach(s -> config.scenario(s.name())); // every setting section exists before anything starts
    Path out = options.out.toAbsolutePath();
    Files.createDirectories(out);
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("started", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    run.put("mode", config.mode().name().toLowerCase());
    run.put("machine", Runtime.getRuntime().availableProcessors() + " cores, load average at start " + loadAverage());
    List<ScenarioResult> results = new ArrayList<>();
    Map<String, List<Path>> charts = new LinkedHashMap<>();
    for (Scenario scenario : chosen) {
      log("%s: %s", scenario.name(), scenario.description());
      long start = System.nanoTime();
      Path dir = out.resolve("runs").resolve(scenario.name());
      deleteTree(dir);
      ScenarioResult result;
      try {
        result = scenario.run(new ScenarioContext(config, scenario.name(), layout, dir, options.duration));
      } catch (Exception e) {
        result = new ScenarioResult(scenario.name(), scenario.description());
        result.check(Check.that("the scenario ran to its end", false, describe(e), "no error"));
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("error.txt"), trace.toString());
      }
      result.seconds = Math.round((System.nanoTime() - start) / 1e8) / 10.0;
      results.add(result);
      try {
        charts.put(result.name, ChartsWriter.write(out, result));
      } catch (Exception e) {
        result.check(Check.that("its charts were drawn", false, describe(e), "no error"));
      }
      for (Check c : result.checks) {
        log("  %s %s: %s (bound %s)", c.holds() ? "ok  " : "FAIL", c.what(), c.measured(), c.bound());
      }
      log("%s %s in %.0f s", scenario.name(), result.holds() ? "held" : "DID NOT HOLD", result.seconds);
      run.put("load average now", loadAverage());
      ResultsWriter.write(out, results, run);
      ReportWriter.write(out, results, run, charts);
    }
    long failed = results.stream().filter(r -> !r.holds()).count();
    log("%d of %d scenarios held; %s", results.size() - failed, results.size(), out.resolve("stress-report.md"));
    return failed > 0 && options.failOnCheck ? 1 : 0;
  }

  private static String describe(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static String loadAverage() {
    return io.memtrace.bench.load.LoadHarness.loadAverage();
  }

  static void log(String format, Object... args) {
    System.out.println("[stress] " + Fmt.of(format, args));
    System.out.flush();
  }
}
