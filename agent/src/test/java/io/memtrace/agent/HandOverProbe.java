package io.memtrace.agent;

import io.memtrace.agent.instrumentation.method.MethodInstrumentation;
import io.memtrace.agent.instrumentation.method.RuleMatcher;
import io.memtrace.agent.instrumentation.method.RuleRegistry;
import io.memtrace.agent.instrumentation.method.Rules;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.util.Set;

/**
 * Installs the rules' instrumentation as the agent's start does, onto a JVM stand-in that has
 * loaded no class, and gives back the gate. Loaded by {@link HandOverRehearsalTest} in a class
 * loader of its own, so that every class the gate loads afterwards can be counted.
 */
public final class HandOverProbe {

  private HandOverProbe() {
  }

  public static ClassFileTransformer installedGate() {
    RuleMatcher matcher = rules();
    StartupGate gate = new StartupGate(Set.of(), matcher);
    new RulesInstall(matcher, new MethodInstrumentation(matcher, new RuleRegistry()), gate, emptyJvm()).install();
    return gate;
  }

  /** The gate as {@code premain} registers it: rehearsed, the rules' transformer not installed yet. */
  public static ClassFileTransformer registeredGate() {
    StartupGate gate = new StartupGate(Set.of("redis.clients.jedis.Connection"), rules());
    gate.rehearse();
    return gate;
  }

  private static RuleMatcher rules() {
    return Rules.matcher("memory-managers:",
        "  - { type: com.acme.*Memory, methods: [{ name: get, operation: retrieve }] }",
        "tasks:", "  - { type: com.acme.Marker, method: run, span: run }");
  }

  /** A JVM that has loaded nothing yet: the retransformation pass finds no class to consider. */
  private static Instrumentation emptyJvm() {
    return (Instrumentation) Proxy.newProxyInstance(HandOverProbe.class.getClassLoader(),
        new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "getAllLoadedClasses":
            case "getInitiatedClasses":
              return new Class<?>[0];
            case "isRetransformClassesSupported":
            case "isRedefineClassesSupported":
              return true;
            case "isModifiableClass":
              return false;
            case "retransformClasses":
              return null;
            default:
              throw new UnsupportedOperationException(method.getName());
          }
        });
  }
}
