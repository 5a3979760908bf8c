// The demo's Node service, beside the Java fleet: a dashboard that reads what the fleet stored in Redis (the
// coverage report the analyzer wrote, a cached lookup, a pattern's status) and keeps a summary of its own for ten
// minutes. It is
// traced by the standard OpenTelemetry instrumentation of ioredis, not by memtrace: the collector reads the keys
// from its spans' statements, so its reads join the fleet's writes in lineage.
// Usage: node dashboard.cjs REDIS_URL OTLP_TRACES_URL
'use strict';
const [redisUrl, tracesUrl] = process.argv.slice(2);
if (!redisUrl || !tracesUrl) {
  console.error('usage: node dashboard.cjs REDIS_URL OTLP_TRACES_URL');
  process.exit(2);
}

const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis');
const { trace, SpanStatusCode } = require('@opentelemetry/api');

const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'aqe-dashboard' }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl }))],
});
provider.register();
registerInstrumentations({ instrumentations: [new IORedisInstrumentation()] });
const Redis = require('ioredis'); // after the instrumentation, which patches it on load

async function main() {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const tracer = trace.getTracer('aqe-dashboard');
  await tracer.startActiveSpan('dashboard.coverage', async (span) => {
    try {
      const report = await redis.get('aqe/reports:coverage-report-user-service');
      const libraries = await redis.get('cache:jwt-libraries');
      // the instrumentation writes HGET as "hget [2 other arguments]": the collector says its key is unknown
      const status = await redis.hget('paf:AUTH-001', 'status');
      const summary = JSON.stringify({ service: 'user-service', report: report !== null, libraries: libraries !== null });
      await redis.set('dashboard:summary:user-service', summary, 'EX', 600);
      console.log('aqe-dashboard: coverage report ' + (report === null ? 'missing' : report.length + ' bytes')
        + ', cached libraries ' + (libraries === null ? 'missing' : libraries.length + ' bytes')
        + ', pattern status ' + (status === null ? 'none' : status));
    } catch (e) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(e) });
      throw e;
    } finally {
      span.end();
    }
  });
  redis.disconnect();
  await provider.forceFlush();
  await provider.shutdown();
}

main().catch((e) => { console.error('aqe-dashboard: ' + e); process.exit(1); });
