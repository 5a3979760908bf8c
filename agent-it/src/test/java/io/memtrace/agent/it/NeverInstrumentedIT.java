package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * The classes the built agent jar never gives to its rules' transformer, asked of the jar's own classes, after the
 * relocation that rewrites string constants naming relocated packages (the unit tests run on the classes before it):
 * the OpenTelemetry Java agent's classes and its real {@code AgentClassLoader}, and an application's own Byte Buddy.
 * Beside that agent started second, memtrace's transformer otherwise describes every class the agent's
 * {@code premain} loads, and loads classes through the agent's class loaders from inside those loads.
 */
class NeverInstrumentedIT {

  @Test
  void shouldNeverInstrumentTheOpenTelemetryAgentsClassesOrLoadersInTheBuiltJar() throws Exception {
    try (URLClassLoader agent = new URLClassLoader(new URL[] {BuildPaths.AGENT_JAR.toUri().toURL()},
        ClassLoader.getPlatformClassLoader());
        URLClassLoader otel = new URLClassLoader(new URL[] {BuildPaths.OTEL_AGENT_JAR.toUri().toURL()},
            ClassLoader.getPlatformClassLoader())) {
      Method named = agent.loadClass("io.memtrace.agent.instrumentation.method.NeverInstrumented")
          .getDeclaredMethod("named", String.class, char.class);
      named.setAccessible(true);
      assertThat(named.invoke(null, "io.opentelemetry.javaagent.tooling.AgentInstaller", '.')).isEqualTo(true);
      assertThat(named.invoke(null, "io/opentelemetry/javaagent/bootstrap/field/VirtualFieldAccessorMarker", '/'))
          .isEqualTo(true);
      assertThat(named.invoke(null, "net.bytebuddy.ByteBuddy", '.')).as("the application's own Byte Buddy").isEqualTo(true);
      assertThat(named.invoke(null, "com.example.NoteMemory", '.')).isEqualTo(false);

      ClassLoader otelAgentLoader = (ClassLoader) otel.loadClass("io.opentelemetry.javaagent.bootstrap.AgentClassLoader")
          .getConstructor(File.class).newInstance(BuildPaths.OTEL_AGENT_JAR.toFile());
      Object loaders = agent.loadClass("io.memtrace.agent.instrumentation.method.RuleMatcher")
          .getMethod("neverInstrumentedLoaders").invoke(null);
      Method matches = loaders.getClass().getMethod("matches", Object.class);
      matches.setAccessible(true);
      assertThat(matches.invoke(loaders, otelAgentLoader)).as("the OpenTelemetry agent's class loader").isEqualTo(true);
      assertThat(matches.invoke(loaders, otel)).isEqualTo(false);
    }
  }
}
