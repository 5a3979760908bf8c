package io.memtrace.collector.forward;

/** Counters of a {@link Forwarder}; a drop is a payload that never reached the upstream. */
public record ForwardStats(String upstream, long sent, long retries, long queued, long droppedQueueFull,
    long droppedFailed) {

  public long dropped() {
    return droppedQueueFull + droppedFailed;
  }
}
