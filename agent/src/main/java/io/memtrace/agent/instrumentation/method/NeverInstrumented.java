package io.memtrace.agent.instrumentation.method;

import io.memtrace.agent.util.RelocatedPackages;
import java.util.List;

/**
 * The classes memtrace never instruments, whatever a rule says: its own, the JDK's, Byte Buddy's (the application's
 * own copy too), the OpenTelemetry Java agent's, and the proxies frameworks generate in front of a bean. Both
 * {@link RuleMatcher}'s matchers for Byte Buddy and {@link RuleSet}'s own questions read this one list.
 */
final class NeverInstrumented {

  /**
   * The OpenTelemetry Java agent's packages: its bootstrap classes, the helpers it injects into
   * the application's class loaders and, by the loaders' own names, everything its agent,
   * extension and instrumentation-module class loaders define. Spelled at run time ({@link RelocatedPackages}): a
   * constant would name memtrace's own relocated copy in the agent jar, and the rules' transformer would then describe
   * every class the OpenTelemetry agent loads, loading classes through that agent's class loaders from inside other
   * classes' loads, on the thread that runs its {@code premain}.
   */
  static final String OTEL_AGENT = RelocatedPackages.OPENTELEMETRY + ".javaagent.";
  /** See {@link RuleMatcher#neverInstrumented()}. */
  static final List<String> PACKAGES = List.of("io.memtrace.agent.", RelocatedPackages.BYTE_BUDDY + ".", "java.",
      "jdk.", "sun.", OTEL_AGENT);

  private NeverInstrumented() {
  }

  /** Whether the class {@code name}, its packages separated by {@code separator}, is never instrumented. */
  static boolean named(String name, char separator) {
    if (isGeneratedProxy(name)) {
      return true;
    }
    for (String prefix : PACKAGES) {
      if (name.length() > prefix.length() && startsWith(name, prefix, separator)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A subclass a framework generates in front of a bean ({@code Repo$$SpringCGLIB$$0}, CGLIB's
   * {@code $$EnhancerBy…}, {@code $ByteBuddy$}, {@code $HibernateProxy$}): its methods hand the
   * call to the real object, or to {@code super}, whose own method is traced, so tracing the proxy
   * too would make two spans of one call.
   */
  static boolean isGeneratedProxy(String name) {
    return name.contains("$$") || name.contains("$ByteBuddy$") || name.contains("$HibernateProxy$");
  }

  /** {@code name.startsWith(prefix)}, with the prefix's dots read as {@code separator}. */
  private static boolean startsWith(String name, String prefix, char separator) {
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (name.charAt(i) != (c == '.' ? separator : c)) {
        return false;
      }
    }
    return true;
  }
}
