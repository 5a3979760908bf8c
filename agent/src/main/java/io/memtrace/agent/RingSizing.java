package io.memtrace.agent;

import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.config.Settings;
import io.memtrace.agent.pipeline.SpanRing;

/**
 * How many events memtrace holds between the application's threads and its consumer: the ring's slots, and while
 * memtrace starts the events that wait beyond it. Both bound what the agent keeps of the application's objects.
 */
final class RingSizing {

  private RingSizing() {
  }

  /**
   * {@code ring.size} as given; left to its default, 8192 slots, or 32768 with retention off. Full capture builds
   * and encodes a span for every event, and the exporters are built only once the application runs: at 40k
   * commands/s the first of them came while 8192 slots (0.2 s) were already full, and the load run dropped 1,300
   * to 4,300 events in its first seconds, none with 32768 (docs/history/performance-2026-11-23-to-26.md, 2026-11-25, full capture
   * with the ingest log). Retention with key events (retention.key-events) keeps the default: its carriers weigh a
   * quarter span a command in a batch, and with 8192 slots the load run beside serve dropped none of 200,000
   * commands, nor the stress suite's vector-store of its 128,262 events (2026-12-01). A ring of 16384 or more slots
   * had G1's refinement threads work through the cards its slots dirty, about 0.15 µs a command, which 8192 did not
   * (docs/history/key-events-2026-11-30.md).
   */
  static int ringSize(MemtraceConfig config) {
    boolean everyCommand = !config.get(Settings.RETENTION_ENABLED);
    return config.given(Settings.RING_SIZE) || !everyCommand ? config.get(Settings.RING_SIZE) : FULL_CAPTURE_RING_SIZE;
  }

  static final int FULL_CAPTURE_RING_SIZE = 32768;

  /**
   * How many events may wait beyond the ring while memtrace starts: the exporters' queue's room, and at most twice the
   * ring. An event points to the application's objects (a command's arguments, a reply, a method's arguments and
   * result), which it keeps alive while it waits: the ring size a user chose bounds that, so that a start with a slow
   * consumer keeps at most three rings' worth, never a queue's worth of large values.
   */
  static int startupOverflow(MemtraceConfig config, SpanRing ring) {
    return Math.min(config.get(Settings.EXPORT_MAX_QUEUED_SPANS), 2 * ring.buffer().getBufferSize());
  }
}
