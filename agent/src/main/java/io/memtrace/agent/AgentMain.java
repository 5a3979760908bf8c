package io.memtrace.agent;

import io.memtrace.agent.config.ConfigResult;
import java.lang.instrument.Instrumentation;

/**
 * Entry points of {@code memtrace-agent.jar}: {@code -javaagent} ({@link #premain}), runtime attach
 * ({@link #agentmain}) and the {@code attach} command line ({@link #main}).
 *
 * <p>This class must not touch the bootstrap bridge before it has been appended to the bootstrap
 * class path, and nothing it does may stop the application from starting.
 */
public final class AgentMain {

  private static final String STARTED = "memtrace.agent.started";

  private AgentMain() {
  }

  public static void premain(String args, Instrumentation inst) {
    start(args, inst, false);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst, true);
  }

  public static void main(String[] args) {
    System.exit(AttachCommand.run(args, System.out, System.err));
  }

  /**
   * Starts memtrace inside another agent (the OpenTelemetry Java agent's extension), which loaded
   * the configuration in {@code config} and hands over its {@code inst} and {@code backend}. As
   * with {@code -javaagent}, a second start in the same JVM is ignored.
   */
  public static void startEmbedded(ConfigResult config, Instrumentation inst, Backend backend) {
    start(inst, () -> Agent.start(config, inst, false, backend));
  }

  private static void start(String args, Instrumentation inst, boolean attached) {
    start(inst, () -> Agent.start(args, inst, attached));
  }

  private static synchronized void start(Instrumentation inst, Runnable agent) {
    if (System.getProperty(STARTED) != null) {
      System.err.println("[memtrace] WARN memtrace is already running in this JVM; ignoring the second start");
      return;
    }
    try {
      System.setProperty(STARTED, "true");
      BootstrapInjector.inject(inst);
      agent.run();
    } catch (Throwable t) {
      System.err.println("[memtrace] ERROR memtrace failed to start and is OFF; the application runs "
          + "without it: " + t);
    }
  }
}
