// A Node service's task on Redis, traced by the standard OpenTelemetry instrumentation of its client and
// exported over OTLP/HTTP protobuf: a store with a TTL, a read, a miss, a multi-key write, a WRONGTYPE error,
// a store with no TTL, and a delete of two keys.
// Usage: node workload.cjs ioredis|node-redis REDIS_PORT OTLP_TRACES_URL
'use strict';
const client = process.argv[2];
const port = Number(process.argv[3]);
const url = process.argv[4];

const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { trace } = require('@opentelemetry/api');

const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'node-' + client }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
});
provider.register();
if (client === 'ioredis') {
  const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis');
  registerInstrumentations({ instrumentations: [new IORedisInstrumentation()] });
} else {
  const { RedisInstrumentation } = require('@opentelemetry/instrumentation-redis');
  registerInstrumentations({ instrumentations: [new RedisInstrumentation()] });
}

/** The commands of the task, each awaited, through a client that offers call(name, ...args). */
async function task(call) {
  const plan = 'aqe/test-plans:plan-' + client;
  await call('SET', plan, JSON.stringify({ tests: 12, owner: client }), 'EX', '3600');
  await call('GET', plan);
  await call('GET', 'aqe/test-plans:missing-' + client);
  await call('MSET', 'aqe/cache:a-' + client, '1', 'aqe/cache:b-' + client, '2');
  try {
    await call('LPUSH', plan, 'x');
  } catch (e) {
    if (!String(e).includes('WRONGTYPE')) throw e;
  }
  await call('SET', 'aqe/sessions:s-' + client, 'v');
  await call('DEL', 'aqe/cache:a-' + client, 'aqe/cache:b-' + client);
}

async function main() {
  const tracer = trace.getTracer('memtrace-test-workload');
  await tracer.startActiveSpan('task.plan', async (span) => {
    if (client === 'ioredis') {
      const Redis = require('ioredis');
      const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      // the client's own methods, as a service writes them
      await task((name, ...args) => {
        switch (name) {
          case 'SET': return redis.set(...args);
          case 'GET': return redis.get(...args);
          case 'MSET': return redis.mset(...args);
          case 'LPUSH': return redis.lpush(...args);
          case 'DEL': return redis.del(...args);
          default: throw new Error(name);
        }
      });
      redis.disconnect();
    } else {
      const { createClient } = require('redis');
      const redis = createClient({ url: 'redis://127.0.0.1:' + port });
      await redis.connect();
      await task((name, ...args) => {
        switch (name) {
          case 'SET': return args.length > 2 ? redis.set(args[0], args[1], { EX: Number(args[3]) }) : redis.set(args[0], args[1]);
          case 'GET': return redis.get(args[0]);
          case 'MSET': return redis.mSet([[args[0], args[1]], [args[2], args[3]]]);
          case 'LPUSH': return redis.lPush(args[0], args[1]);
          case 'DEL': return redis.del(args);
          default: throw new Error(name);
        }
      });
      await redis.quit();
    }
    span.end();
  });
  await provider.forceFlush();
  await provider.shutdown();
}

main().then(() => console.log('done ' + client), (e) => { console.error(e); process.exit(1); });
