package io.memtrace.collector.keyspace;

/**
 * The ceiling on the commands a watcher sends to one Redis: a token bucket filled at
 * {@code perSecond} that holds at most {@code burst} tokens, so the watcher never sends more than
 * {@code perSecond} commands in any second on average, nor more than {@code burst} in a row. Owned by
 * the watcher's thread; {@link #sent} is read by others.
 */
public final class CommandBudget {

  private final double perSecond;
  private final double burst;
  private double tokens;
  private long last = System.nanoTime();
  private volatile long sent;

  public CommandBudget(int perSecond, int burst) {
    this.perSecond = perSecond;
    this.burst = Math.max(1, burst);
    this.tokens = 0; // no credit at start: a pass begins at the ceiling, not above it
  }

  /** Waits until {@code n} commands may be sent, then counts them as sent. */
  public void acquire(int n) throws InterruptedException {
    refill();
    while (tokens < Math.min(n, burst)) {
      long waitNanos = (long) ((Math.min(n, burst) - tokens) / perSecond * 1e9);
      Thread.sleep(Math.max(1, waitNanos / 1_000_000), (int) (waitNanos % 1_000_000));
      refill();
    }
    tokens -= n; // a batch above the burst leaves a debt that the next acquire waits out
    sent += n;
  }

  private void refill() {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
    last = now;
  }

  public long sent() {
    return sent;
  }

  int perSecond() {
    return (int) perSecond;
  }
}
