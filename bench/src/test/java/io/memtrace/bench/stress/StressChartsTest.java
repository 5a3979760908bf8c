package io.memtrace.bench.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.bench.stress.StressCharts.Series;
import io.memtrace.bench.stress.StressCharts.Window;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each chart written as a real PNG, including from the worst data a failed scenario leaves. */
class StressChartsTest {

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final List<Window> FAULTS = List.of(new Window("collector down", 20, 35),
      new Window("collector slow", 45, 50));

  @TempDir
  Path dir;

  private static Series wave(String name, double base, int seconds) {
    double[] x = new double[seconds];
    double[] y = new double[seconds];
    for (int i = 0; i < seconds; i++) {
      x[i] = i;
      y[i] = base + base / 10 * Math.sin(i / 4.0);
    }
    return new Series(name, x, y);
  }

  /** Asserts a readable PNG of the chart size with real content, and returns its pixels. */
  private static BufferedImage assertPng(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    assertThat(Arrays.copyOf(bytes, 8)).isEqualTo(PNG_SIGNATURE);
    assertThat(bytes.length).isBetween(4_000, 2_000_000); // axes, titles and legend drawn; not raw
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image.getWidth()).isEqualTo(900);
    assertThat(image.getHeight()).isEqualTo(420);
    return image;
  }

  @Test
  void shouldWriteEveryChartAsAPngNamedAfterTheScenario() throws IOException {
    Path throughput = StressCharts.throughputAndP99(dir, "mixed", wave("ops/s", 5_000, 60),
        wave("p99", 2, 60), FAULTS);
    Path drops = StressCharts.drops(dir, "mixed", wave("dropped", 100, 60), FAULTS);
    Path memory = StressCharts.memory(dir, "mixed", List.of(wave("heap used", 300, 60),
        wave("heap after GC", 120, 60), wave("Redis used_memory", 40, 60)), FAULTS);
    Path overhead = StressCharts.overheadByThreads(dir, "fleet", new int[] {1, 3, 5, 10, 20},
        List.of(new Series("throughput ×", new double[] {1, 3, 5, 10, 20}, new double[] {0.97, 0.95, 0.93, 0.9, 0.88}),
            new Series("p99 ×", new double[] {1, 3, 5, 10, 20}, new double[] {1.05, 1.1, 1.2, 1.3, 1.5})));

    assertThat(throughput).isEqualTo(dir.resolve("mixed-throughput.png"));
    assertThat(drops).isEqualTo(dir.resolve("mixed-drops.png"));
    assertThat(memory).isEqualTo(dir.resolve("mixed-memory.png"));
    assertThat(overhead).isEqualTo(dir.resolve("fleet-overhead.png"));
    for (Path file : List.of(throughput, drops, memory, overhead)) {
      assertPng(file);
    }
    assertThat(System.getProperty("java.awt.headless")).isEqualTo("true");
  }

  @Test
  void shouldShadeTheFaultWindows() throws IOException {
    Series heap = wave("heap used", 300, 60);
    BufferedImage plain = assertPng(StressCharts.memory(dir.resolve("plain"), "s", List.of(heap), List.of()));
    BufferedImage shaded = assertPng(StressCharts.memory(dir.resolve("shaded"), "s", List.of(heap), FAULTS));

    long changed = 0;
    for (int x = 0; x < plain.getWidth(); x++) {
      for (int y = 0; y < plain.getHeight(); y++) {
        if (plain.getRGB(x, y) != shaded.getRGB(x, y)) {
          changed++;
        }
      }
    }
    // 20 of the 60 seconds shaded over the plot's full height: tens of thousands of pixels
    assertThat(changed).isGreaterThan(20_000);
  }

  @Test
  void shouldDrawADipOfOnePercentAsOnePercentOfTheAxis() throws IOException {
    double[] x = new double[60];
    double[] ops = new double[60];
    for (int i = 0; i < 60; i++) {
      x[i] = i;
      ops[i] = i == 30 ? 1_980 : 2_000; // a paced load with one slower second
    }
    BufferedImage image = assertPng(StressCharts.throughputAndP99(dir, "paced", new Series("ops/s", x, ops),
        new Series("p99", new double[0], new double[0]), List.of()));

    // the line's own colour, above the legend (which repeats it below the plot)
    int top = Integer.MAX_VALUE;
    int bottom = -1;
    for (int px = 0; px < image.getWidth(); px++) {
      for (int py = 0; py < image.getHeight() * 3 / 4; py++) {
        if ((image.getRGB(px, py) & 0xFFFFFF) == 0x0072B2) {
          top = Math.min(top, py);
          bottom = Math.max(bottom, py);
        }
      }
    }
    assertThat(bottom).as("the line is drawn").isPositive();
    // from 0, 20 ops/s of 2,000 is a few pixels; an axis fitted to the data stretches it over the plot
    assertThat(bottom - top).isLessThan(20);
  }

  @Test
  void shouldShadeOneFaultKindInOneColourInEveryRound() throws IOException {
    BufferedImage image = assertPng(StressCharts.drops(dir, "rounds", new Series("dropped", new double[0],
        new double[0]), List.of(new Window("collector slow, round 1", 0, 10),
        new Window("collector down, round 1", 10, 20), new Window("collector slow, round 2", 20, 30))));

    // the plot spans the windows (0 to 30 s), so its thirds are the three bands; sample each band's middle
    int y = image.getHeight() / 2;
    int slow1 = commonColour(image, image.getWidth() * 25 / 100, y);
    int down1 = commonColour(image, image.getWidth() * 52 / 100, y);
    int slow2 = commonColour(image, image.getWidth() * 80 / 100, y);
    assertThat(slow2).as("slow, round 2 like slow, round 1").isEqualTo(slow1);
    assertThat(down1).as("down unlike slow").isNotEqualTo(slow1);
    assertThat(slow1).as("shaded, not white").isNotEqualTo(0xFFFFFF);
  }

  /** The most frequent colour in a 21-pixel square, so that a grid line crossing it does not decide. */
  private static int commonColour(BufferedImage image, int cx, int cy) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (int px = cx - 10; px <= cx + 10; px++) {
      for (int py = cy - 10; py <= cy + 10; py++) {
        counts.merge(image.getRGB(px, py) & 0xFFFFFF, 1, Integer::sum);
      }
    }
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  @Test
  void shouldDrawChartsFromEmptyAllNanAndGappedSeries() throws IOException {
    Series empty = new Series("empty", new double[0], new double[0]);
    Series allNan = new Series("all NaN", new double[] {0, 1, 2}, new double[] {Double.NaN, Double.NaN, Double.NaN});
    Series gapped = new Series("gapped", new double[] {0, 1, 2, 3, 4, 5},
        new double[] {1, 2, Double.NaN, 4, Double.NaN, 6}); // the run at x=3 is a single point
    Series nulls = new Series(null, null, null);
    Series ragged = new Series("ragged", new double[] {0, 1, 2}, new double[] {5, 6});

    assertPng(StressCharts.throughputAndP99(dir, "empty", empty, allNan, List.of()));
    assertPng(StressCharts.throughputAndP99(dir, "gapped", gapped, empty, FAULTS));
    assertPng(StressCharts.drops(dir, "none", allNan, null));
    assertPng(StressCharts.memory(dir, "none", List.of(), List.of(new Window("collector down", 3, 3))));
    assertPng(StressCharts.memory(dir, "odd", List.of(nulls, ragged, gapped, gapped),
        List.of(new Window(null, Double.NaN, 4), new Window("backwards", 9, 2))));
    assertPng(StressCharts.overheadByThreads(dir, "none", new int[0], List.of(empty, allNan)));
    assertPng(StressCharts.overheadByThreads(dir, "nulls", null, null));
  }

  @Test
  void shouldRejectAScenarioThatIsNotAPlainFileName() {
    assertThatThrownBy(() -> StressCharts.drops(dir, "../escape", new Series("d", new double[0], new double[0]), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
