package io.memtrace.agent;

import io.memtrace.agent.instrumentation.LoadedTypeFallback;
import io.memtrace.agent.instrumentation.method.MethodInstrumentation;
import io.memtrace.agent.instrumentation.method.RuleMatcher;
import io.memtrace.agent.util.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicBoolean;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs Byte Buddy's {@code AgentBuilder} for the memory-manager and task rules, once: on
 * the start thread when the configuration has rules, otherwise (only the built-in profiles) on a
 * thread of its own when the first profile joins. It is most of memtrace's start-up class
 * loading (its {@code AgentBuilder} generates a class of its own), so an application that has
 * neither never pays for it. The classes the rules target wait in the gate until it is done.
 */
final class RulesInstall implements Runnable {
  private final RuleMatcher matcher;
  private final MethodInstrumentation methods;
  private final StartupGate gate;
  private final Instrumentation inst;
  private final AtomicBoolean begun = new AtomicBoolean();

  RulesInstall(RuleMatcher matcher, MethodInstrumentation methods, StartupGate gate, Instrumentation inst) {
    this.matcher = matcher;
    this.methods = methods;
    this.gate = gate;
    this.inst = inst;
  }

  /** A profile joined (on the thread loading its library's class): install on a thread of its own. */
  @Override
  public void run() {
    if (!begun.get()) {
      Thread installer = new Thread(this::install, "memtrace-rules");
      installer.setDaemon(true);
      installer.start();
    }
  }

  void install() {
    if (!begun.compareAndSet(false, true)) {
      return;
    }
    gate.installing(Thread.currentThread());
    long started = System.nanoTime();
    try {
      matcher.joinForLoaded(inst.getAllLoadedClasses()); // before the pass that retransforms them
      // the transformer's own lock against recursion, held by this thread through the install:
      // the rehearsal before the hand-over lets go of it while it runs the transformer once
      AgentBuilder.CircularityLock lock = new AgentBuilder.CircularityLock.Default();
      installInstrumentation(gate.instrumentation(inst, transformer -> TransformerRehearsal.rehearse(transformer, lock)),
          methods, lock);
      AgentLog.debug("rules' instrumentation installed in " + millisSince(started) + " ms");
    } catch (Throwable t) {
      AgentLog.error("the memory-manager and task rules could not be installed and trace nothing: " + t, t);
    } finally {
      gate.rulesReady();
    }
  }

  private static void installInstrumentation(Instrumentation inst, MethodInstrumentation methods,
      AgentBuilder.CircularityLock lock) {
    // Beside another agent that transformed a class first (the OpenTelemetry Java agent), the class
    // may implement interfaces that have no class file: describe those from the loaded classes,
    // and skip the checks and the method graph that would need its whole hierarchy.
    ByteBuddy byteBuddy = new ByteBuddy()
        .with(TypeValidation.DISABLED)
        .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
    AgentBuilder builder = new AgentBuilder.Default(byteBuddy)
        .with(new LoadedTypeFallback())
        .with(lock)
        .disableClassFormatChanges()
        // classes load while this runs in the background (and before an attach): retransform
        // those that match once the transformer is in place
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        // the advice only visits methods a class already has: decorating skips building its method
        // graph, about 60 ms of an application thread's CPU when the first matching class loads
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .ignore(RuleMatcher.neverInstrumented())
        .or(ElementMatchers.any(), RuleMatcher.neverInstrumentedLoaders())
        .with(new ErrorListener());
    methods.install(builder).installOn(inst);
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
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
