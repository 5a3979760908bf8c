package io.memtrace.collector.keyspace.notify;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Holds the notifications recorded to a rate, fairly across namespaces, on the subscriber's thread (one thread: no
 * locks). Each second, every namespace gets a share of the cap by water-filling last second's arrivals: namespaces
 * that sent less than an equal share keep all theirs, and the flooding ones split what is left, so a flood of one
 * namespace never hides the few changes of another. A namespace over its share is sampled at {@code rate = share /
 * arrivals}, every {@code 1/rate}-th notification taken (systematically, so a test can count), and each row taken
 * stands for {@code 1/rate} notifications (its {@code weight}). Behind the sampler a token bucket of one second of
 * the cap holds the hard line while a flood starts, before last second's figures know of it.
 */
public final class NotificationLimiter {

  /** What {@link #admit} answers for a notification left out by sampling. */
  public static final double SAMPLED_OUT = 0;
  /** What {@link #admit} answers for a notification that the hard cap left out. */
  public static final double OVER_CAP = -1;
  /** Where the namespaces beyond the {@code maxNamespaces} of one second share their counts and rate. */
  static final String OTHER = "(other namespaces)";

  private static final long SECOND = 1_000_000_000L;

  private final double perSecond;
  private final int maxNamespaces;
  private Map<String, Share> shares = new HashMap<>();
  private long windowStart;
  private boolean started;
  private double tokens;
  private long refilledAt;

  private static final class Share {
    long count;
    double rate = 1;
    double credit;
  }

  public NotificationLimiter(int perSecond, int maxNamespaces) {
    if (perSecond < 1 || maxNamespaces < 1) {
      throw new IllegalArgumentException("the cap and the namespaces must be positive");
    }
    this.perSecond = perSecond;
    this.maxNamespaces = maxNamespaces;
    this.tokens = perSecond;
  }

  /**
   * Whether a notification of {@code namespace} (null: none) arriving at {@code nowNanos} is recorded: its weight
   * (1 or more) when it is, {@link #SAMPLED_OUT} or {@link #OVER_CAP} when not.
   */
  public double admit(String namespace, long nowNanos) {
    if (!started) {
      started = true;
      windowStart = nowNanos;
      refilledAt = nowNanos;
    }
    if (nowNanos - windowStart >= SECOND) {
      roll(nowNanos);
    }
    String name = namespace == null ? "" : namespace;
    Share share = shares.get(name);
    if (share == null) {
      if (shares.size() < maxNamespaces) {
        share = new Share();
        shares.put(name, share);
      } else {
        share = shares.computeIfAbsent(OTHER, n -> new Share());
      }
    }
    share.count++;
    share.credit += share.rate;
    if (share.credit < 1 - 1e-9) {
      return SAMPLED_OUT;
    }
    share.credit -= 1;
    refill(nowNanos);
    if (tokens < 1) {
      return OVER_CAP;
    }
    tokens -= 1;
    return 1 / share.rate;
  }

  private void refill(long nowNanos) {
    tokens = Math.min(perSecond, tokens + (nowNanos - refilledAt) * perSecond / SECOND);
    refilledAt = nowNanos;
  }

  /** A new second: each namespace's rate from last second's arrivals; namespaces that sent nothing are forgotten. */
  private void roll(long nowNanos) {
    boolean quietGap = nowNanos - windowStart >= 2 * SECOND;
    windowStart = nowNanos;
    Map<String, Share> next = new HashMap<>();
    double level = quietGap ? Double.MAX_VALUE : level(shares, perSecond);
    shares.forEach((name, s) -> {
      if (s.count > 0 && !quietGap) {
        s.rate = Math.min(1, level / s.count);
        s.count = 0;
        next.put(name, s);
      }
    });
    shares = next;
  }

  /**
   * The water level: the most notifications a namespace may keep so that all of them together keep {@code cap},
   * each namespace keeping {@code min(arrivals, level)}; unbounded when all together are within it.
   */
  private static double level(Map<String, Share> shares, double cap) {
    return level(shares.values().stream().mapToLong(s -> s.count).filter(c -> c > 0).toArray(), cap);
  }

  /** {@link #level} over last second's arrivals of each namespace, {@code counts}. */
  static double level(long[] counts, double cap) {
    long[] sorted = counts.clone();
    Arrays.sort(sorted);
    double remaining = cap;
    for (int i = 0; i < sorted.length; i++) {
      double even = remaining / (sorted.length - i);
      if (sorted[i] > even) {
        return even;
      }
      remaining -= sorted[i];
    }
    return Double.MAX_VALUE;
  }
}
