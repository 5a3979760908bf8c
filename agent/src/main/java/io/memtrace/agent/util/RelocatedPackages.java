package io.memtrace.agent.util;

/**
 * The real names of packages the agent jar carries relocated copies of, for code that recognises classes of the
 * application or of another agent by them. Built at run time: the agent jar's relocation rewrites every string
 * constant that starts with a relocated package, so a constant {@code "io.opentelemetry.javaagent."} would name
 * memtrace's own copy ({@code io.memtrace.agent.shaded.otel.javaagent.}) in the shipped jar, and unit tests, which
 * run on the classes before relocation, would not see it.
 */
public final class RelocatedPackages {

  /** {@code io.opentelemetry}: the OpenTelemetry API, SDK and Java agent. */
  public static final String OPENTELEMETRY = String.join(".", "io", "opentelemetry");
  /** {@code net.bytebuddy}. */
  public static final String BYTE_BUDDY = String.join(".", "net", "bytebuddy");

  private RelocatedPackages() {
  }
}
