package io.memtrace.bench.stress;

import io.memtrace.bench.stress.StressCharts.Series;
import io.memtrace.bench.stress.StressCharts.Window;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One XChart line chart in the stress report's house look, fed with {@link Series} that may hold
 * gaps (NaN) or nothing at all. XChart 4.0.3 draws straight across a NaN and rejects an empty
 * series, and a sample the harness did not get must show as a hole, not as an interpolated value,
 * so each series is added as its runs of finite points, sharing one colour and one legend entry.
 */
final class ChartCanvas {

  static final int WIDTH = 900;
  static final int HEIGHT = 420;
  /** Okabe-Ito colours: told apart by colour-blind readers, and on white. */
  private static final Color[] LINES = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73),
      new Color(0xCC79A7), new Color(0xD55E00), new Color(0x56B4E9), Color.BLACK};
  private static final Color[] SHADES = {new Color(220, 40, 40, 48), new Color(90, 90, 90, 48),
      new Color(120, 60, 180, 48), new Color(230, 160, 0, 56)};

  private final XYChart chart = new XYChart(WIDTH, HEIGHT);
  private final List<String> shadeKinds = new ArrayList<>();
  private double minX = Double.POSITIVE_INFINITY;
  private double maxX = Double.NEGATIVE_INFINITY;
  private int lines;
  private int parts;

  ChartCanvas(String title, String xTitle) {
    chart.setTitle(title);
    chart.setXAxisTitle(xTitle);
    Styler styler = chart.getStyler();
    styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setMarkerSize(6);
  }

  XYChart chart() {
    return chart;
  }

  /**
   * Titles the y axis of {@code group} (0 is the left axis); any other group is drawn on the right. Every axis
   * starts at 0: what the report charts (operations, latencies, drops, MiB, ratios) is never negative, and a
   * paced load of 2,000 ops/s drawn from 1,900 made a 1 % dip look like a collapse.
   */
  ChartCanvas yAxis(int group, String title) {
    chart.setYAxisGroupTitle(group, title);
    chart.getStyler().setYAxisMin(group, 0.0);
    if (group > 0) {
      chart.getStyler().setYAxisGroupPosition(group, Styler.YAxisPosition.Right);
    }
    return this;
  }

  /** Adds {@code series} against y axis {@code group}, in the next colour; marks each point if asked. */
  ChartCanvas line(Series series, int group, boolean markers) {
    return line(series, group, markers, LINES[lines++ % LINES.length], null);
  }

  ChartCanvas line(Series series, int group, boolean markers, Color color, BasicStroke stroke) {
    double[] x = series.seconds() == null ? new double[0] : series.seconds();
    double[] y = series.values() == null ? new double[0] : series.values();
    int n = Math.min(x.length, y.length);
    boolean legend = true;
    for (int start = 0; start < n; start++) {
      int end = start;
      while (end < n && Double.isFinite(x[end]) && Double.isFinite(y[end])) {
        end++;
      }
      if (end > start) {
        addRun(series.name(), x, y, start, end, group, markers, color, stroke, legend);
        legend = false;
      }
      start = end;
    }
    return this;
  }

  private void addRun(String name, double[] x, double[] y, int start, int end, int group, boolean markers,
      Color color, BasicStroke stroke, boolean legend) {
    double[] runX = Arrays.copyOfRange(x, start, end);
    XYSeries run = chart.addSeries(unique(legend ? name : name + " #" + parts++), runX,
        Arrays.copyOfRange(y, start, end));
    run.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    run.setLineColor(color);
    run.setMarkerColor(color);
    // a lone point between gaps has no line to show it: it gets a marker
    run.setMarker(markers || end - start == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    if (stroke != null) {
      run.setLineStyle(stroke);
    }
    run.setYAxisGroup(group);
    run.setShowInLegend(legend);
    for (double v : runX) {
      include(v);
    }
  }

  /** XChart rejects a name used twice; two series the caller named alike both still get drawn. */
  private String unique(String name) {
    String base = name == null || name.isBlank() ? "series" : name;
    String candidate = base;
    for (int i = 2; chart.getSeries(candidate) != null; i++) {
      candidate = base + " (" + i + ")";
    }
    return candidate;
  }

  /**
   * Shades each window. Windows of one kind share a colour: the kind is the label up to its first comma, so
   * "collector slow, round 1" and "collector slow, round 2" are one colour and "collector down, round 1" another.
   */
  ChartCanvas shade(List<Window> windows) {
    int row = 0;
    for (Window w : windows == null ? List.<Window>of() : windows) {
      if (w == null || !Double.isFinite(w.from()) || !Double.isFinite(w.to()) || w.to() < w.from()) {
        continue; // a window the harness could not place is left out rather than drawn wrong
      }
      String kind = kind(w.label());
      if (!shadeKinds.contains(kind)) {
        shadeKinds.add(kind);
      }
      Color fill = SHADES[shadeKinds.indexOf(kind) % SHADES.length];
      chart.addAnnotation(new ChartShade(w.label(), w.from(), w.to(), fill, row++ % 3));
      include(w.from());
      include(w.to());
    }
    return this;
  }

  private static String kind(String label) {
    if (label == null) {
      return "";
    }
    int comma = label.indexOf(',');
    return comma < 0 ? label : label.substring(0, comma);
  }

  void include(double x) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
  }

  /**
   * Writes the PNG. The x range is set to cover every point and every window, so that a window past
   * the last sample still shows; with nothing at all to draw, the axes span 0 to 1.
   */
  Path save(Path dir, String fileName) throws IOException {
    boolean empty = minX > maxX;
    chart.getStyler().setXAxisMin(empty ? 0.0 : minX);
    chart.getStyler().setXAxisMax(empty ? 1.0 : Math.max(maxX, minX + 1e-9));
    if (chart.getSeriesCollection().isEmpty()) {
      chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
      chart.setTitle(chart.getTitle() + " (no samples)"); // an empty plot is a finding, not a bug
    }
    Files.createDirectories(dir);
    Path file = dir.resolve(fileName);
    try (OutputStream out = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
    return file;
  }
}
