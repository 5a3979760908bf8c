package io.memtrace.agent;

import io.memtrace.agent.bootstrap.Bridge;
import io.memtrace.agent.bootstrap.RedisHooks;
import io.memtrace.agent.config.ConfigLoader;
import io.memtrace.agent.config.ConfigProblem;
import io.memtrace.agent.config.ConfigResult;
import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.config.OtelSettings;
import io.memtrace.agent.config.Profiles;
import io.memtrace.agent.config.Settings;
import io.memtrace.agent.export.ExportDispatcher;
import io.memtrace.agent.instrumentation.jedis.JedisInstrumentation;
import io.memtrace.agent.instrumentation.jedis.common.JedisArguments;
import io.memtrace.agent.instrumentation.lettuce.LettuceInstrumentation;
import io.memtrace.agent.instrumentation.lettuce.v6_0.LettuceObjects;
import io.memtrace.agent.instrumentation.method.MethodInstrumentation;
import io.memtrace.agent.instrumentation.method.RuleMatcher;
import io.memtrace.agent.instrumentation.method.RuleRegistry;
import io.memtrace.agent.metrics.MetricsPipeline;
import io.memtrace.agent.otel.OtelAgentJedis;
import io.memtrace.agent.otel.OtelApiWatcher;
import io.memtrace.agent.pipeline.AsyncCommandSpans;
import io.memtrace.agent.pipeline.ChildBytes;
import io.memtrace.agent.pipeline.MethodSpanFactory;
import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.pipeline.RedisSpanFactory;
import io.memtrace.agent.pipeline.RingPublisher;
import io.memtrace.agent.pipeline.SpanClock;
import io.memtrace.agent.pipeline.SpanConsumer;
import io.memtrace.agent.pipeline.retention.Retention;
import io.memtrace.agent.pipeline.SpanRing;
import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.util.AgentLog;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.lang.instrument.Instrumentation;
import java.util.HashSet;
import java.util.Set;
import io.memtrace.agent.instrumentation.LoadedTypeFallback;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/** Wires configuration, ring, consumer, exporters and instrumentation together, once per JVM. */
final class Agent {

  static final String VERSION = versionOf(Agent.class);

  private Agent() {
  }

  static void start(String args, Instrumentation inst, boolean attached) {
    start(ConfigLoader.load(args, System.getenv(), System.getProperties()), inst, attached, Backend.STANDALONE);
  }

  /** Starts memtrace from {@code result}, exporting through {@code backend}. */
  static void start(ConfigResult result, Instrumentation inst, boolean attached, Backend backend) {
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
    java.util.List<RuleMatcher.LazyProfile> profiles = lazyProfiles(config);
    boolean methods = !config.methodRules().isEmpty() || !profiles.isEmpty();
    RuleRegistry rules = new RuleRegistry();
    RuleMatcher ruleMatcher = new RuleMatcher(config.methodRules(), profiles);
    MethodInstrumentation methodInstrumentation = new MethodInstrumentation(ruleMatcher, rules);
    StartupGate gate = new StartupGate(redis ? redisClientClasses() : Set.of(), ruleMatcher);
    if (redis || methods) {
      inst.addTransformer(gate, true);
      // as an extension, the OpenTelemetry agent's configuration carries the Jedis default instead
      boolean standalone = backend == Backend.STANDALONE;
      if (redis && standalone) {
        OtelAgentJedis.leaveJedisToMemtrace(System.getProperties(), System.getenv());
        OtelAgentJedis.leaveLettuceToMemtrace(System.getProperties(), System.getenv());
      }
      if (standalone) { // the extension reads the OpenTelemetry API directly, with its own OtelSpanReader
        OtelApiWatcher.start(inst, attached, redis);
      }
    }
    ShutdownHook hook = new ShutdownHook(config.get(Settings.SHUTDOWN_TIMEOUT_MS));
    Runtime.getRuntime().addShutdownHook(new Thread(hook, "memtrace-shutdown"));
    Runnable rest = () -> {
      try {
        finishStart(config, redis, methods, ruleMatcher, methodInstrumentation, rules, gate, inst, attached, hook,
            backend);
      } catch (Throwable t) {
        AgentLog.error("memtrace failed to start and is OFF; the application runs without it: " + t, t);
      } finally {
        gate.abandon(); // no-op after a successful start; otherwise stop holding classes back
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
  }

  /**
   * Installs the instrumentation, makes the ring and switches the bridge on, and only then lets the
   * classes the gate holds load: from that moment events are recorded into the ring. The consumer,
   * the exporters and the OpenTelemetry SDK behind them are built after that, while the
   * application runs (about half of the start's class loading); the events wait for them in the
   * ring, and a full ring drops and counts as always.
   */
  private static void finishStart(MemtraceConfig config, boolean redis, boolean methods,
      RuleMatcher ruleMatcher, MethodInstrumentation methodInstrumentation, RuleRegistry rules, StartupGate gate,
      Instrumentation inst, boolean attached, ShutdownHook hook, Backend backend) {
    long started = System.nanoTime();
    if (redis || methods) {
      ruleMatcher.joinForLoaded(inst.getAllLoadedClasses()); // before the pass that retransforms them
      installInstrumentation(gate.instrumentation(inst), redis, methodInstrumentation);
      AgentLog.debug("instrumentation installed in " + millisSince(started) + " ms");
    }
    HealthCounters counters = new HealthCounters();
    SpanRing ring = SpanRing.create(config.get(Settings.RING_SIZE));
    hook.recording(ring, counters);
    RedisHooks.recordHandshakes(config.get(Settings.REDIS_HANDSHAKE_SPANS));
    Bridge.install(new RingPublisher(ring.buffer(), counters), redis, methods);
    gate.open();
    AgentLog.debug("recording " + millisSince(started) + " ms after the start began");
    try {
      ExportDispatcher exporters = new ExportDispatcher(backend.spanExporters(config), counters,
          config.get(Settings.EXPORT_MAX_IN_FLIGHT), config.get(Settings.EXPORT_MAX_QUEUED_SPANS));
      Resource resource = backend.resource(config, VERSION);
      MetricsPipeline metrics = backend.metrics(config, resource, counters, VERSION);
      SpanConsumer consumer = consumer(config, rules, ring, resource, metrics, exporters, counters);
      if (!hook.started(consumer, metrics, exporters)) {
        return; // the JVM is exiting and has counted what waits in the ring
      }
      AgentLog.debug("consumer and exporters ready " + millisSince(started) + " ms after the start began");
      AgentLog.info("memtrace " + VERSION + " " + (attached ? "attached" : "started")
          + ": span exporters [" + exporters.describe() + "], metric exporters [" + metrics.describe()
          + "], ring " + config.get(Settings.RING_SIZE) + ", redis " + (redis ? "on" : "off") + ", method rules "
          + config.methodRules().size() + ", profiles " + profileNames(config) + ", conventions "
          + config.get(Settings.CONVENTIONS));
    } catch (Throwable t) {
      Bridge.uninstall(); // nothing will read the ring: record no more into it
      hook.failed();
      throw t;
    }
  }

  private static SpanConsumer consumer(MemtraceConfig config, RuleRegistry rules, SpanRing ring,
      Resource resource, MetricsPipeline metrics, ExportDispatcher exporters, HealthCounters counters) {
    SpanClock clock = new SpanClock();
    ChildBytes childBytes = new ChildBytes();
    KeyPolicy keys = KeyPolicy.from(config);
    RedisSpanFactory redisSpans = new RedisSpanFactory(JedisArguments::decode, keys,
        config.get(Settings.CAPTURE_VALUES), clock, resource,
        InstrumentationScopeInfo.builder("io.memtrace.jedis").setVersion(VERSION).build(),
        childBytes, metrics.metrics());
    LettuceObjects lettuce = new LettuceObjects();
    RedisSpanFactory lettuceSpans = new RedisSpanFactory(lettuce.decoder(), keys,
        config.get(Settings.CAPTURE_VALUES), clock, resource,
        InstrumentationScopeInfo.builder("io.memtrace.lettuce").setVersion(VERSION).build(),
        childBytes, metrics.metrics());
    MethodSpanFactory methodSpans = new MethodSpanFactory(rules, keys,
        config.get(Settings.CAPTURE_VALUE_SIZE).equals("json"), clock,
        resource, InstrumentationScopeInfo.builder("io.memtrace.memory").setVersion(VERSION).build(),
        childBytes, metrics.metrics())
        .naming(config.get(Settings.CONVENTIONS), config.get(Settings.CAPTURE_VALUES));
    return new SpanConsumer(ring, redisSpans, methodSpans, exporters, counters,
        config.get(OtelSettings.BSP_MAX_EXPORT_BATCH_SIZE), config.get(OtelSettings.BSP_SCHEDULE_DELAY))
        .retaining(Retention.from(config, () -> clock.toEpochNanos(System.nanoTime())))
        .pairing(new AsyncCommandSpans(lettuceSpans, lettuce, config.get(Settings.REDIS_HANDSHAKE_SPANS), counters));
  }

  /**
   * The enabled built-in profiles, each read only when a class of its library first loads; what is
   * wrong in one (memtrace's own mistake) is reported then and drops only that rule.
   */
  private static java.util.List<RuleMatcher.LazyProfile> lazyProfiles(MemtraceConfig config) {
    java.util.List<RuleMatcher.LazyProfile> lazy = new java.util.ArrayList<>();
    for (Profiles.Profile profile : Profiles.enabled(config)) {
      lazy.add(new RuleMatcher.LazyProfile(profile.name(), profile.packagePrefix(),
          new ProfileReader(profile, config)));
    }
    return lazy;
  }

  /** Reads one profile when its library shows up (a class, not a lambda: premain spins none). */
  private static final class ProfileReader implements java.util.function.Supplier<java.util.List<io.memtrace.agent.config.MethodRule>> {
    private final Profiles.Profile profile;
    private final MemtraceConfig config;

    ProfileReader(Profiles.Profile profile, MemtraceConfig config) {
      this.profile = profile;
      this.config = config;
    }

    @Override
    public java.util.List<io.memtrace.agent.config.MethodRule> get() {
      java.util.List<ConfigProblem> problems = new java.util.ArrayList<>();
      java.util.List<io.memtrace.agent.config.MethodRule> read = profile.rules(config, problems);
      for (ConfigProblem problem : problems) {
        AgentLog.error("built-in profile problem: " + problem, null);
      }
      return read;
    }
  }

  /** The built-in profiles in use: {@code [spring-ai, langchain4j]}. */
  private static java.util.List<String> profileNames(MemtraceConfig config) {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (Profiles.Profile profile : Profiles.enabled(config)) {
      names.add(profile.name());
    }
    return names;
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static void installInstrumentation(Instrumentation inst, boolean redis,
      MethodInstrumentation methods) {
    // Beside another agent that transformed a class first (the OpenTelemetry Java agent), the class
    // may implement interfaces that have no class file: describe those from the loaded classes,
    // and skip the checks and the method graph that would need its whole hierarchy.
    ByteBuddy byteBuddy = new ByteBuddy()
        .with(TypeValidation.DISABLED)
        .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
    AgentBuilder builder = new AgentBuilder.Default(byteBuddy)
        .with(new LoadedTypeFallback())
        .disableClassFormatChanges()
        // classes load while this runs in the background (and before an attach): retransform
        // those that match once the transformer is in place
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        // the advice only visits methods a class already has: decorating skips building its method
        // graph, about 60 ms of an application thread's CPU when the first Jedis class loads
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .ignore(RuleMatcher.neverInstrumented())
        .or(ElementMatchers.any(), RuleMatcher.neverInstrumentedLoaders())
        .with(new ErrorListener());
    if (redis) {
      builder = LettuceInstrumentation.install(JedisInstrumentation.install(builder))
          .type(new RedisClientNotices()).transform((b, type, loader, module, domain) -> b);
    }
    methods.install(builder).installOn(inst);
  }

  /** The Redis clients' classes the start-up gate holds back until their instrumentation is ready. */
  private static Set<String> redisClientClasses() {
    Set<String> names = new HashSet<>(JedisInstrumentation.classNames());
    names.addAll(LettuceInstrumentation.classNames());
    return names;
  }

  private static String versionOf(Class<?> type) {
    String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /**
   * Reports a class that could not be instrumented, once per class, and carries on. Matching never
   * throws (see {@link RuleMatcher#types()}), so what reaches it is a failure to transform a class
   * memtrace targets.
   */
  private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module,
        boolean loaded, Throwable throwable) {
      AgentLog.warnOnce("transform-" + typeName, "could not instrument " + typeName
          + "; it runs unchanged: " + throwable, throwable);
    }

    @Override
    public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader,
        JavaModule module, boolean loaded, DynamicType dynamicType) {
      AgentLog.debug("instrumented " + typeDescription.getName() + (loaded ? " (retransformed)" : ""));
    }
  }
}
