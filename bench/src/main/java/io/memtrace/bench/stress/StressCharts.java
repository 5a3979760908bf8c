package io.memtrace.bench.stress;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The stress report's PNG charts (XChart, {@value ChartCanvas#WIDTH}x{@value ChartCanvas#HEIGHT}):
 * each with a title naming the scenario, axis titles with units, a legend, and the fault windows
 * shaded as translucent bands labelled at the top. A value that is NaN is a hole in its line, and a
 * series that is empty or all NaN is simply not drawn: a scenario whose samples went missing still
 * gets its charts. Rendering is headless ({@code java.awt.headless=true} unless already set), so it
 * runs on a server with no display.
 */
public final class StressCharts {

  static {
    // before any AWT class loads: a harness on a machine without a display must not fail to draw
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private static final String TIME = "time since start (s)";

  private StressCharts() {}

  /** One time series: x = seconds since the scenario's t0, y values; NaN = no value. */
  public record Series(String name, double[] seconds, double[] values) {}

  /** A fault window to shade, in seconds since t0, with its label ("collector down"). */
  public record Window(String label, double from, double to) {}

  /**
   * Throughput (ops/s, left axis) and p99 latency (ms, right axis) over time, windows shaded.
   *
   * @return {@code dir/<scenario>-throughput.png}
   */
  public static Path throughputAndP99(Path dir, String scenario, Series opsPerSecond, Series p99Millis,
      List<Window> windows) throws IOException {
    return new ChartCanvas(scenario + ": throughput and p99 latency", TIME)
        .yAxis(0, "throughput (ops/s)").yAxis(1, "p99 latency (ms)")
        .line(opsPerSecond, 0, false).line(p99Millis, 1, false)
        .shade(windows).save(dir, fileName(scenario, "throughput"));
  }

  /**
   * Dropped events per second over time, windows shaded.
   *
   * @return {@code dir/<scenario>-drops.png}
   */
  public static Path drops(Path dir, String scenario, Series droppedPerSecond, List<Window> windows)
      throws IOException {
    return new ChartCanvas(scenario + ": events dropped by the agent", TIME)
        .yAxis(0, "dropped events (per s)").line(droppedPerSecond, 0, false)
        .shade(windows).save(dir, fileName(scenario, "drops"));
  }

  /**
   * Memory (MiB) over time, any number of series (app heap used, heap after GC, Redis used_memory),
   * windows shaded.
   *
   * @return {@code dir/<scenario>-memory.png}
   */
  public static Path memory(Path dir, String scenario, List<Series> series, List<Window> windows)
      throws IOException {
    ChartCanvas canvas = new ChartCanvas(scenario + ": memory", TIME).yAxis(0, "memory (MiB)");
    for (Series s : series == null ? List.<Series>of() : series) {
      canvas.line(s, 0, false);
    }
    return canvas.shade(windows).save(dir, fileName(scenario, "memory"));
  }

  /**
   * The agent's overhead against no agent by thread count: each ratio series (throughput ×, p99 ×)
   * has x = threads in {@link Series#seconds()}, every point marked, and a dashed line at 1.0 (no
   * overhead) spans {@code threads}.
   *
   * @return {@code dir/<scenario>-overhead.png}
   */
  public static Path overheadByThreads(Path dir, String scenario, int[] threads, List<Series> ratios)
      throws IOException {
    ChartCanvas canvas = new ChartCanvas(scenario + ": agent overhead by thread count", "threads")
        .yAxis(0, "ratio to no agent (×)");
    canvas.chart().getStyler().setXAxisDecimalPattern("0");
    for (Series s : ratios == null ? List.<Series>of() : ratios) {
      canvas.line(s, 0, true);
    }
    int[] levels = threads == null ? new int[0] : threads;
    if (levels.length > 0) {
      double low = Arrays.stream(levels).min().getAsInt();
      double high = Arrays.stream(levels).max().getAsInt();
      canvas.line(new Series("no overhead (1.0)", new double[] {low, high}, new double[] {1, 1}), 0, false,
          Color.GRAY, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
              new float[] {6f, 4f}, 0f));
    }
    return canvas.save(dir, fileName(scenario, "overhead"));
  }

  private static String fileName(String scenario, String chart) {
    if (scenario == null || scenario.isBlank() || scenario.contains("/") || scenario.contains("\\")) {
      throw new IllegalArgumentException("scenario must be a plain file-name part, got " + scenario);
    }
    return scenario + "-" + chart + ".png";
  }
}
