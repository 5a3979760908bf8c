package io.memtrace.bench.stress;

/** A time an injected fault lasted, in epoch ms, with what it was ("collector down"). */
public record FaultWindow(String label, long from, long to) {

  boolean covers(long t) {
    // a sample covers the second before its time stamp
    return t > from && t - 1000 < to;
  }
}
