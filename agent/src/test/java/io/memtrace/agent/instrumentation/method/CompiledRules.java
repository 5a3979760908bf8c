package io.memtrace.agent.instrumentation.method;

import io.memtrace.agent.config.MethodRule;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;

/** Compiles a rule against a loaded class's method into a registry, as the transformer does, for tests in any package. */
public final class CompiledRules {

  private CompiledRules() {
  }

  /** Registers {@code rule} bound to {@code type}'s first method named {@code method}; returns its id. */
  public static int register(RuleRegistry registry, MethodRule rule, Class<?> type, String method) {
    TypeDescription description = TypeDescription.ForLoadedType.of(type);
    MethodDescription found = description.getDeclaredMethods().filter(
        net.bytebuddy.matcher.ElementMatchers.named(method)).getOnly();
    CompiledRule compiled = MethodInstrumentation.compile(rule, description, found);
    if (compiled == null) {
      throw new IllegalArgumentException(rule + " does not fit " + type.getName() + "#" + method);
    }
    return registry.register(compiled);
  }

  /** Registers the memory-manager method rule written as {@code yaml} (one flow mapping) for {@code type}'s method. */
  public static int memoryManager(RuleRegistry registry, Class<?> type, String method, String yaml) {
    return register(registry, Rules.of(
        "memory-managers:",
        "  - type: " + type.getName(),
        "    methods:",
        "      - " + yaml).get(0), type, method);
  }
}
