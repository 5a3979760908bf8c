// The truth suite's second traced service: ioredis under the standard OpenTelemetry instrumentation, exporting over
// OTLP/HTTP protobuf, that runs the Redis commands its input asks for, one step at a time, and prints each reply, as
// the Java service (TruthServiceProgram) does. A line a step, fields split by tabs: CMD DB NAME ARG...; the answer
// is one line: R REPLY.
// Usage: node truth-service.cjs REDIS_PORT OTLP_TRACES_URL
'use strict';
const port = Number(process.argv[2]);
const url = process.argv[3];

const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis');

const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'truth-node' }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 200 })],
});
provider.register();
// each command a trace of its own, as the Java agent makes them: by default the instrumentation traces only under a parent
registerInstrumentations({ instrumentations: [new IORedisInstrumentation({ requireParentSpan: false })] });

/** A reply as one field, as the Java service writes it: (nil), :N for an integer, the string itself. */
function text(reply) {
  if (reply === null || reply === undefined) return '(nil)';
  if (typeof reply === 'number') return ':' + reply;
  if (Array.isArray(reply)) return '[' + reply.map(text).join(',') + ']';
  return String(reply);
}

async function main() {
  const Redis = require('ioredis');
  const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, enableReadyCheck: false,
    connectionName: 'truth-node' });
  await redis.connect();
  let db = 0;
  const lines = require('readline').createInterface({ input: process.stdin });
  process.stdout.write('READY\n');
  for await (const line of lines) {
    if (line === 'QUIT') break;
    const [, asked, name, ...args] = line.split('\t');
    if (Number(asked) !== db) {
      await redis.select(Number(asked));
      db = Number(asked);
    }
    let reply;
    try {
      reply = text(await redis.call(name, ...args));
    } catch (e) {
      reply = '!' + String(e.message).replace(/\t/g, ' ');
    }
    process.stdout.write('R\t' + reply + '\n');
  }
  await redis.quit();
  await provider.shutdown();
  // stdin stays open under the reader: end here, every span exported
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
