package io.memtrace.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The lines the agent writes read back as the collector reads them: ids, times and key attributes, bit for bit. */
class KeyEventLinesTest {

  @Test
  void shouldReadBackEveryIdTimeAndAttributeItWrote() {
    SplittableRandom random = new SplittableRandom(77);
    long[][] ids = new long[2_000][4];
    long[] ends = new long[ids.length];
    long[] durations = new long[ids.length];
    long[] sizes = new long[ids.length];
    KeyEventLineWriter writer = new KeyEventLineWriter();
    long end = 1_764_460_800_000_000_000L;
    for (int i = 0; i < ids.length; i++) {
      // edge ids among random ones: all bits set, a single top or bottom bit, zero parent (none)
      long high = i == 0 ? -1L : i == 1 ? Long.MIN_VALUE : i == 2 ? 1L : random.nextLong();
      long low = i == 0 ? -1L : i == 1 ? 1L : i == 2 ? Long.MIN_VALUE : random.nextLong();
      long span = i == 0 ? -1L : i == 1 ? Long.MIN_VALUE : random.nextLong();
      long parent = i % 3 == 0 ? 0 : i == 1 ? -1L : random.nextLong();
      ids[i] = new long[] {high, low, span, parent};
      end += i % 7 == 0 ? -random.nextLong(5_000_000_000L) : random.nextLong(5_000_000_000L); // out of order too
      ends[i] = end;
      durations[i] = i == 4 ? Long.MAX_VALUE : random.nextLong(1L << (1 + i % 62));
      sizes[i] = i % 5 == 0 ? -1 : random.nextLong(1L << (i % 40));
      writer.command(i % 2 == 0 ? "GET" : "SET", end, durations[i], span, high, low, parent)
          .attributes(i % 4 == 0 ? -1 : 5, sizes[i], i % 2, i % 3 == 0 ? 60 : -1, -1)
          .key(("user:" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII), ("user:" + i).length())
          .end();
    }
    List<KeyEventLines.Line> lines = KeyEventLines.read(writer.take(), ends[0]);

    assertThat(lines).hasSize(ids.length);
    for (int i = 0; i < ids.length; i++) {
      KeyEventLines.Line line = lines.get(i);
      assertThat(line.spanId).as("span id %d", i).isEqualTo(hex(ids[i][2]));
      assertThat(line.traceId).as("trace id %d", i).isEqualTo(hex(ids[i][0]) + hex(ids[i][1]));
      assertThat(line.parentSpanId).as("parent %d", i).isEqualTo(ids[i][3] == 0 ? null : hex(ids[i][3]));
      assertThat(line.end).as("end %d", i).isEqualTo(ends[i]);
      assertThat(line.duration).as("duration %d", i).isEqualTo(durations[i]);
      assertThat(line.valueSize).as("size %d", i).isEqualTo(sizes[i] < 0 ? null : sizes[i]);
      assertThat(line.key).isEqualTo("user:" + i);
    }
  }

  private static String hex(long id) {
    return String.format(Locale.ROOT, "%016x", id);
  }
}
