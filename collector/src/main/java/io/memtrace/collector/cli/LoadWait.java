package io.memtrace.collector.cli;

import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.store.SpanStore;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Whether a reading command asking a running {@code serve} waits for the spans it acknowledged before the command
 * to be loaded from its ingest log, and what the command says about the spans its answer lacks. {@code query}
 * waits by default (a script that sends spans and then counts them expects them all); {@code traces} and
 * {@code report} answer at once, since after a burst the wait took seconds.
 */
final class LoadWait {

  @Option(names = "--wait-loaded", negatable = true,
      description = {"Against a running serve: wait up to " + SpanStore.LOAD_WAIT_MILLIS / 1000 + " s for the spans "
          + "it acknowledged before this command to be loaded into its store (--wait-loaded), or answer at once from",
          "what is loaded and say how many spans still wait (--no-wait-loaded). query waits by default; traces and "
              + "report do not."})
  Boolean wait;

  boolean waits(boolean byDefault) {
    return wait == null ? byDefault : wait;
  }

  /** Says on standard error, as a note, what {@link #note} says about the spans {@code reader}'s answer lacks. */
  static void tell(StoreReader reader, boolean waited) {
    String pending = note(reader.pendingSpans(), waited);
    if (pending != null) {
      System.err.println("note: " + pending);
    }
  }

  /** What to say about {@code pendingSpans} an answer lacks; null when it lacks none. */
  static String note(long pendingSpans, boolean waited) {
    if (pendingSpans <= 0) {
      return null;
    }
    return String.format(Locale.ROOT, "%,d spans the collector acknowledged were still waiting to be loaded into its "
        + "store, and are left out (%s)", pendingSpans, waited
        ? "they were not loaded within " + SpanStore.LOAD_WAIT_MILLIS / 1000 + " s"
        : "--wait-loaded waits up to " + SpanStore.LOAD_WAIT_MILLIS / 1000 + " s for them");
  }
}
