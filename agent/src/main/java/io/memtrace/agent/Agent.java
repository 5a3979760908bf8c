package io.memtrace.agent;

import io.memtrace.agent.bootstrap.Bridge;
import io.memtrace.agent.bootstrap.RedisHooks;
import io.memtrace.agent.config.ConfigLoader;
import io.memtrace.agent.config.ConfigProblem;
import io.memtrace.agent.config.ConfigResult;
import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.config.Settings;
import io.memtrace.agent.export.ExportDispatcher;
import io.memtrace.agent.instrumentation.jedis.common.JedisStandIn;
import io.memtrace.agent.instrumentation.lettuce.common.LettuceCommandPath;
import io.memtrace.agent.instrumentation.method.MethodInstrumentation;
import io.memtrace.agent.instrumentation.method.RuleMatcher;
import io.memtrace.agent.instrumentation.method.RuleRegistry;
import io.memtrace.agent.metrics.MetricsPipeline;
import io.memtrace.agent.otel.OtelAgentClients;
import io.memtrace.agent.otel.OtelApiWatcher;
import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.pipeline.RingPublisher;
import io.memtrace.agent.pipeline.SpanConsumer;
import io.memtrace.agent.pipeline.SpanRing;
import io.memtrace.agent.pipeline.StartupOverflow;
import io.memtrace.agent.util.AgentLog;
import io.opentelemetry.sdk.resources.Resource;
import java.lang.instrument.Instrumentation;
import java.util.Set;
import io.memtrace.agent.instrumentation.KnownTypeTransformer;

/** Wires configuration, ring, consumer, exporters and instrumentation together, once per JVM. */
final class Agent {

  static final String VERSION = versionOf(Agent.class);
  /** The class whose weaving the start thread rehearses: the first of these on the class path. */
  private static final java.util.List<String> WARM_UP = java.util.List.of(
      io.memtrace.agent.instrumentation.jedis.common.JedisTypes.CONNECTION, LettuceCommandPath.ENDPOINT);

  private Agent() {
  }

  static void start(String args, Instrumentation inst, boolean attached) {
    start(ConfigLoader.load(args, System.getenv(), System.getProperties()), inst, attached, Backend.STANDALONE);
  }

  /** Starts memtrace from {@code result}, exporting through {@code backend}. */
  static void start(ConfigResult result, Instrumentation inst, boolean attached, Backend backend) {
    long began = System.nanoTime();
    AgentLog.debug(result.config().get(Settings.DEBUG));
    for (ConfigProblem problem : result.problems()) {
      if (problem.effect() == ConfigProblem.Effect.FALLBACK) {
        AgentLog.warn("configuration problem: " + problem);
      } else {
        AgentLog.error("configuration problem: " + problem, null);
      }
    }
    if (!result.agentEnabled()) {
      AgentLog.error("memtrace is OFF because of the configuration problem(s) above; the "
          + "application runs without it. Fix the setting named and restart.", null);
      return;
    }
    boolean redis = result.redisEnabled();
    if (!redis && result.config().get(Settings.REDIS_ENABLED)) {
      AgentLog.error("Redis tracing is OFF because of the configuration problem(s) above; the "
          + "rest of memtrace runs.", null);
    }
    MemtraceConfig config = result.config();
    java.util.List<RuleMatcher.LazyProfile> profiles = ProfileReader.lazyProfiles(config);
    boolean methods = !config.methodRules().isEmpty() || !profiles.isEmpty();
    RuleRegistry rules = new RuleRegistry();
    RuleMatcher ruleMatcher = new RuleMatcher(config.methodRules(), profiles);
    MethodInstrumentation methodInstrumentation = new MethodInstrumentation(ruleMatcher, rules);
    StartupGate gate = new StartupGate(redis ? RedisClients.classNames() : Set.of(), ruleMatcher);
    if (redis || methods) {
      gate.rehearse(); // on the JVM's thread, before the start thread exists: see there
      inst.addTransformer(gate, true);
      // as an extension, the OpenTelemetry agent's configuration carries the clients' defaults instead
      boolean standalone = backend == Backend.STANDALONE;
      if (redis && standalone) {
        OtelAgentClients.leaveToMemtrace(System.getProperties(), System.getenv());
      }
      if (standalone) { // the extension reads the OpenTelemetry API directly, with its own OtelSpanReader
        OtelApiWatcher.start(inst, attached, redis);
      }
    }
    ShutdownHook hook = new ShutdownHook(config.get(Settings.SHUTDOWN_TIMEOUT_MS));
    Runtime.getRuntime().addShutdownHook(new Thread(hook, "memtrace-shutdown"));
    Runnable rest = () -> {
      gate.installing(Thread.currentThread()); // the classes held wait for as long as this thread gets on
      try {
        finishStart(config, redis, methods, ruleMatcher, methodInstrumentation, rules, gate, inst, attached, hook,
            backend);
      } catch (Throwable t) {
        AgentLog.error("memtrace failed to start and is OFF; the application runs without it: " + t, t);
        gate.abandon(); // stop holding classes back
      }
    };
    if (attached) {
      rest.run(); // the application is running already: nothing to gain from deferring
    } else {
      // Byte Buddy and the OpenTelemetry SDK take ~0.5 s to load; the application need not wait
      // for them unless it loads a class memtrace instruments first (see StartupGate).
      Thread starter = new Thread(rest, "memtrace-start");
      starter.setDaemon(true);
      starter.start();
    }
    AgentLog.debug("start on the JVM's own thread took " + millisSince(began) + " ms");
  }

  /**
   * Makes the ring and switches the bridge on, weaves the Redis client's connection class ahead
   * when the class path has one, then lets the Redis clients' classes load, woven by a
   * {@link KnownTypeTransformer}: from that moment their commands are recorded into the ring.
   * Only then is Byte Buddy's {@code AgentBuilder} installed, for the memory-manager and task
   * rules (most of the start's class loading, which a first Redis command no longer waits for),
   * and the classes the rules target let load. The consumer, the exporters and the OpenTelemetry
   * SDK behind them are built last, while the application runs, once there is a first event to
   * export (or the application has stopped loading classes: {@link BuildDeferral}); the events wait
   * for them in the ring, and beyond it in a {@link StartupOverflow} while the consumer is built and
   * its code is cold; a full ring drops and counts as always.
   */
  private static void finishStart(MemtraceConfig config, boolean redis, boolean methods,
      RuleMatcher ruleMatcher, MethodInstrumentation methodInstrumentation, RuleRegistry rules, StartupGate gate,
      Instrumentation inst, boolean attached, ShutdownHook hook, Backend backend) {
    long started = System.nanoTime();
    HealthCounters counters = new HealthCounters();
    SpanRing ring = SpanRing.create(RingSizing.ringSize(config));
    // until the consumer below is built and warm, events the ring has no room for wait beyond it, up to twice the
    // ring (RingSizing.startupOverflow): a busy machine took longer to build the consumer, and its cold code fell
    // further behind, than a fast application took to fill 8192 slots
    StartupOverflow overflow = StartupOverflow.start(ring, RingSizing.startupOverflow(config, ring));
    hook.recording(ring, counters);
    RedisHooks.recordHandshakes(config.get(Settings.REDIS_HANDSHAKE_SPANS));
    RedisHooks.keepBulkReplies(config.get(Settings.CAPTURE_FINGERPRINTS));
    Bridge.install(new RingPublisher(ring.buffer(), counters), redis, methods);
    try {
      if (redis) {
        KnownTypeTransformer redisClients = RedisClients.transformer(counters);
        if (attached) {
          gate.redisReady(redisClients);
          redisClients.retransformLoaded(inst); // the application has likely loaded its client already
        } else {
          // Weave the client's connection class ahead, then let it load: an application thread that
          // reaches it meanwhile waits for this weaving instead of doing the same work beside it
          // (on two cores that only slowed both), and takes the woven class as it is.
          redisClients.warmUp(WARM_UP, JedisStandIn::connection);
          gate.redisReady(redisClients);
        }
        AgentLog.debug("recording Redis commands " + millisSince(started) + " ms after the start began");
      }
      RulesInstall rulesInstall = new RulesInstall(ruleMatcher, methodInstrumentation, gate, inst);
      if (!methods) {
        gate.rulesReady();
      } else if (config.methodRules().isEmpty()) {
        // only the built-in profiles: installed when the first of their libraries shows up, if one does
        ruleMatcher.whenRules(rulesInstall);
        ruleMatcher.joinForLoaded(inst.getAllLoadedClasses());
      } else {
        rulesInstall.install();
      }
      String why = attached ? "attached" : BuildDeferral.await(ring, gate::classesLoaded);
      long build = System.nanoTime();
      ExportDispatcher exporters = new ExportDispatcher(backend.spanExporters(config), counters,
          config.get(Settings.EXPORT_MAX_IN_FLIGHT), config.get(Settings.EXPORT_MAX_QUEUED_SPANS));
      Resource resource = backend.resource(config, VERSION);
      MetricsPipeline metrics = backend.metrics(config, resource, counters, VERSION);
      SpanConsumer consumer = new ConsumerAssembly(config, resource, metrics).consumer(config, rules, ring,
          exporters, counters).overflowFirst(overflow);
      long published = ring.published();
      long dropped = counters.dropped.get();
      if (!hook.started(consumer, metrics, exporters)) {
        return; // the JVM is exiting and has counted what waits in the ring
      }
      AgentLog.debug("consumer and exporters ready " + millisSince(started) + " ms after the start began, built in "
          + millisSince(build) + " ms (" + why + "); " + published + " events published meanwhile into a ring of "
          + ring.buffer().getBufferSize() + (overflow == null ? "" : " and held beyond it, at most " + overflow.describe())
          + ", " + dropped + " dropped");
      AgentLog.info("memtrace " + VERSION + " " + (attached ? "attached" : "started")
          + ": span exporters [" + exporters.describe() + "], metric exporters [" + metrics.describe()
          + "], ring " + RingSizing.ringSize(config) + ", redis " + (redis ? "on" : "off") + ", method rules "
          + config.methodRules().size() + ", profiles " + ProfileReader.names(config) + ", conventions "
          + config.get(Settings.CONVENTIONS) + ", value fingerprints " + fingerprints(config) + ", values "
          + config.get(Settings.CAPTURE_VALUES));
    } catch (Throwable t) {
      Bridge.uninstall(); // nothing will read the ring: record no more into it
      if (overflow != null) {
        overflow.discard();
      }
      hook.failed();
      throw t;
    }
  }

  /** Whether fingerprints are on and whose key they use; never the key itself. */
  private static String fingerprints(MemtraceConfig config) {
    if (!config.get(Settings.CAPTURE_FINGERPRINTS)) {
      return "off";
    }
    return config.get(Settings.CAPTURE_FINGERPRINT_KEY) != null ? "on (the deployment's key)"
        : "on (a key of this JVM: they match only within it)";
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static String versionOf(Class<?> type) {
    String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
