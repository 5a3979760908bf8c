package io.memtrace.collector.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.memtrace.collector.Cli;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code traces --last N} looks for the latest traces, and then their spans, within windows of start times: the
 * traces must come out whole and exact when they reach far outside those windows.
 */
class RecentTracesTest {

  static final long HOUR = 3_600_000;
  /** Began five hours before the others' latest spans: only a widened window finds it among the last three. */
  static final String EARLY = "000000000000000000000000000ea41e";
  /** Its root began three hours before its latest span. */
  static final String LONG = "00000000000000000000000000010a60";
  /** No root in the store: its spans' parent never arrived. */
  static final String FRAGMENT = "0000000000000000000000000000f4a9";

  @TempDir
  static Path dir;

  @BeforeAll
  static void fill() throws Exception {
    Span early = SpanFixtures.span(EARLY, null, "task.early", 0, 5).build();
    Span root = SpanFixtures.span(LONG, null, "task.long", 2 * HOUR, 3 * HOUR).build();
    Span child = SpanFixtures.span(LONG, root.getSpanId(), "step.late", 5 * HOUR, 1).build();
    ByteString missing = ByteString.copyFrom(new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
    Span first = SpanFixtures.span(FRAGMENT, missing, "fragment.first", 3 * HOUR, 1).build();
    Span last = SpanFixtures.span(FRAGMENT, missing, "fragment.last", 5 * HOUR + 5, 1).build();
    TestStores.fill(dir, SpanFixtures.request("svc", List.of(early, root, child, first, last)));
  }

  @Test
  void shouldFindTheLatestTracesHoursApart() {
    String out = traces("--last", "3");
    assertThat(out).contains(EARLY).contains(LONG).contains(FRAGMENT);
    assertThat(out.indexOf(EARLY)).as("oldest first").isLessThan(out.indexOf(LONG));
    assertThat(out.indexOf(LONG)).isLessThan(out.indexOf(FRAGMENT));
    assertThat(traces("--last", "1")).contains(FRAGMENT).doesNotContain(LONG).doesNotContain(EARLY);
    assertThat(traces("--last", "2")).contains(FRAGMENT).contains(LONG).doesNotContain(EARLY);
  }

  @Test
  void shouldLoadEveryOfARecentTracesSpansHoweverLongBeforeItsLatestTheyBegan() {
    String out = traces("--last", "2");
    assertThat(out).as("the root, three hours before the latest span").contains("task.long").contains("step.late");
    assertThat(out).as("a fragment's spans two hours apart").contains("fragment.first").contains("fragment.last");
  }

  private static String traces(String... options) {
    String[] args = new String[options.length + 5];
    System.arraycopy(new String[] {"traces", "--data", dir.toString(), "--width", "160"}, 0, args, 0, 5);
    System.arraycopy(options, 0, args, 5, options.length);
    Cli result = Cli.run(args);
    assertThat(result.exitCode).as("%s", result).isZero();
    return result.out;
  }
}
