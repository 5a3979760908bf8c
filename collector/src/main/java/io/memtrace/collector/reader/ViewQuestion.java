package io.memtrace.collector.reader;

import io.memtrace.collector.CollectorException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One question a page of the web view asks of the store, with its parameters as the page sent them. The pages ask
 * questions, never SQL: each store answers them in its own query language ({@link StoreReader#view}), so the same
 * pages run on the embedded store and on ClickHouse. The parameters are checked here, before any store sees them.
 *
 * @param kind   which question
 * @param params its parameters by name (absent or empty: not given)
 */
public record ViewQuestion(Kind kind, Map<String, String> params) {

  /** The questions, by the name the pages use in {@code GET /api/view/NAME}. */
  public enum Kind {
    /** A page of the traces list, newest first: {@code service, name, key (or glob), ns, min, errors, range, before}. */
    TRACES,
    /** The services, and the most used span names and namespaces, for the search form. */
    CHOICES,
    /** Every span of trace {@code trace}, with what the waterfall draws. */
    TRACE,
    /** The services ({@code kind = 'service'}) and namespaces of trace {@code trace}, between {@code from} and {@code to}. */
    TRACE_FACTS,
    /** One span's details: {@code trace}, {@code span}, {@code start} (µs). */
    SPAN,
    /** The write a read saw: {@code trace}, {@code span}, {@code start} (µs). */
    READ_LINEAGE,
    /** The latest keyspace sample of each namespace between {@code from} - 1 h and {@code to} (µs). */
    KEYSPACE_NEAR,
    /** Which layer the key pages read by default: {@code n > 0} when there are memory-manager operations on keys. */
    LAYER,
    /** Operations per namespace and time bucket: {@code layer}, {@code range}. */
    HEAT,
    /** Every operation on key {@code key}, newest first. */
    KEY_HISTORY,
    /** How many keyspace samples the store holds: {@code n}. */
    SAMPLES,
    /** The memory-state gauges per layer, from the keyspace samples ({@code watched}) or from spans. */
    GAUGES,
    /** Bytes and keys per namespace and keyspace sample: {@code range}. */
    KEYSPACE_SERIES,
    /** Each namespace's growth between its first and last sample in {@code range}. */
    KEYSPACE_GROWTH,
    /** Keys first seen per namespace and time bucket, from spans: {@code layer}, {@code range}. */
    FIRST_SEEN,
    /** memtrace's own counters per service, as last reported. */
    COUNTERS;

    /** The name in the page's request: {@code trace_facts}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The question named {@code id}; a CollectorException naming the known ones otherwise. */
    public static Kind of(String id) {
      for (Kind k : values()) {
        if (k.id().equals(id)) {
          return k;
        }
      }
      throw new CollectorException("no view question named '" + id + "'; the questions are "
          + java.util.Arrays.stream(values()).map(Kind::id).toList());
    }
  }

  /** memtrace's own counters that {@link Kind#COUNTERS} reads, as SQL string literals. */
  public static final String COUNTER_NAMES = "'memtrace.events.produced', 'memtrace.events.exported', "
      + "'memtrace.events.compressed', 'memtrace.events.dropped', 'memtrace.export.failures'";

  private static final Pattern HEX_ID = Pattern.compile("[0-9a-fA-F]{1,32}");

  public ViewQuestion {
    params = Map.copyOf(params);
  }

  /** A parameter as given, or null when absent or empty. */
  public String text(String name) {
    String v = params.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** A parameter that must be given. */
  public String required(String name) {
    String v = text(name);
    if (v == null) {
      throw new CollectorException(kind.id() + " needs the parameter " + name);
    }
    return v;
  }

  /** A trace or span id parameter: hex digits only, so it is safe in any store's SQL. */
  public String id(String name) {
    String v = required(name);
    if (!HEX_ID.matcher(v).matches()) {
      throw new CollectorException(name + " is a trace or span id in hex, not " + v);
    }
    return v.toLowerCase(Locale.ROOT);
  }

  /** A whole number parameter (microseconds since the epoch, a count), or null when absent. */
  public Long number(String name) {
    String v = text(name);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new CollectorException(name + " is a whole number, not " + v);
    }
  }

  /** A parameter that must be a whole number. */
  public long requiredNumber(String name) {
    required(name);
    return number(name);
  }

  /** A decimal parameter ({@code min} milliseconds), or null when absent. */
  public Double decimal(String name) {
    String v = text(name);
    if (v == null) {
      return null;
    }
    try {
      double d = Double.parseDouble(v);
      if (!Double.isFinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new CollectorException(name + " is a number, not " + v);
    }
  }

  /** The start of the {@code range} (seconds back from {@code now}), in microseconds since the epoch; null for all. */
  public Long sinceMicros(Instant now) {
    Long seconds = number("range");
    if (seconds == null) {
      return null;
    }
    Instant from = now.minusSeconds(seconds);
    return from.getEpochSecond() * 1_000_000L + from.getNano() / 1_000;
  }

  /** The {@code layer} parameter, {@code memory} or {@code redis}; memory-manager operations when absent. */
  public Layer layer() {
    String v = text("layer");
    if (v == null) {
      return Layer.MEMORY;
    }
    try {
      return Layer.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CollectorException("layer is memory or redis, not " + v);
    }
  }
}
