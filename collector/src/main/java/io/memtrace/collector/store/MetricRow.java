package io.memtrace.collector.store;

/**
 * One metric data point. Sums and gauges fill {@code value}; histograms and summaries fill
 * {@code count}, {@code sum}, {@code min}, {@code max} and, for explicit-bucket histograms, the
 * bounds and per-bucket counts, so percentiles can be estimated later in SQL or Java.
 */
public record MetricRow(
    long timeNanos,
    long startNanos,
    String serviceName,
    String scopeName,
    String name,
    String description,
    String unit,
    String type,
    String temporality,
    Boolean monotonic,
    String attributesJson,
    Double value,
    Long count,
    Double sum,
    Double min,
    Double max,
    double[] explicitBounds,
    long[] bucketCounts) {
}
