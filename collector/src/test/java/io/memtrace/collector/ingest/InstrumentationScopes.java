package io.memtrace.collector.ingest;

/**
 * The instrumentation scope names of the Redis clients' OpenTelemetry instrumentations, as their spans carry them:
 * what tells the statement readers one dialect from another. Written out here, not taken from StatementDialect, so
 * that the tests check its prefixes against the names the instrumentations really use.
 */
final class InstrumentationScopes {

  static final String IOREDIS = "@opentelemetry/instrumentation-ioredis";
  static final String NODE_REDIS = "@opentelemetry/instrumentation-redis";
  static final String JEDIS = "io.opentelemetry.jedis-4.0";
  static final String LETTUCE = "io.opentelemetry.lettuce-5.1";
  static final String GO = "github.com/redis/go-redis/extra/redisotel";
  static final String PYTHON = "opentelemetry.instrumentation.redis";

  private InstrumentationScopes() {
  }
}
