package io.memtrace.collector.cli;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Log;
import io.memtrace.collector.boot.CollectorLauncher;
import io.memtrace.collector.store.MemoryLimit;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the heap of {@code serve} within its memory budget. A JVM started without a heap limit
 * may grow its heap to a quarter of the host, and under a long ingest it did (2.4 GB of RSS after
 * 4M spans). A running JVM cannot lower its limit, so {@code serve} started without one runs
 * itself again, as a child with {@code -Xmx} set to the heap's share of the budget, and waits
 * for it: signals to this process reach the child, its exit status is this one's, and a child
 * whose launcher died stops cleanly. Given {@code -Xmx} (or another heap limit), {@code serve}
 * runs as it is, with that heap.
 */
final class BoundedHeap {

  /** Set in the child's environment to the launcher's pid: the child knows it is one, and whom to watch. */
  static final String LAUNCHER_ENV = "MEMTRACE_SERVE_LAUNCHER";
  private static final Set<String> HEAP_FLAGS = Set.of("-Xmx", "-XX:MaxHeapSize=", "-XX:MaxRAM=",
      "-XX:MaxRAMPercentage=", "-XX:MaxRAMFraction=");
  /**
   * What the launcher itself takes of the budget: an idle JVM waiting for its child, 44-46 MiB of RSS measured
   * (docs/history/performance-2026-11-23-to-26.md, the growth runs of 2026-11-25), rounded up. The child shares out the rest, so
   * that the two together stay within {@code --memory}.
   */
  static final long LAUNCHER_RESERVE = 64L << 20;
  /** The JDK caches a temporary direct buffer per thread as large as any heap buffer a socket wrote; keep those small. */
  private static final String DIRECT_BUFFER_CACHE = "-Djdk.nio.maxCachedBufferSize=262144";

  private BoundedHeap() {
  }

  /** The child's command, when {@code args} run {@code serve} in a JVM without a heap limit; else null. */
  static List<String> childCommand(String[] args, List<String> jvmArgs, Map<String, String> env) {
    if (args.length == 0 || !args[0].equals("serve") || env.containsKey(LAUNCHER_ENV) || limitsHeap(jvmArgs)
        || limitsHeap(envOptions(env))) {
      return null;
    }
    long budget;
    try {
      budget = ServeLimits.budget(memoryOption(args), env.get(ServeLimits.MEMORY_ENV));
    } catch (CollectorException e) {
      return null; // serve itself says what is wrong with it
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command()
        .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
    List<String> fromEnv = envOptions(env);
    jvmArgs.stream().filter(a -> !fromEnv.contains(a)).forEach(cmd::add); // the child reads the environment itself
    cmd.add("-Xmx" + (MemoryLimit.heapBytes(childBudget(budget)) >> 20) + "m");
    cmd.add(DIRECT_BUFFER_CACHE);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CollectorLauncher.class.getName()));
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  /**
   * The budget serve shares out (DuckDB's limit, the heap, the rest): all of it, or when a launcher waits for this
   * process, what the launcher leaves, never below {@link MemoryLimit#MIN_BUDGET}.
   */
  static long servingBudget(long budget, Map<String, String> env) {
    return env.containsKey(LAUNCHER_ENV) ? childBudget(budget) : budget;
  }

  private static long childBudget(long budget) {
    return Math.max(MemoryLimit.MIN_BUDGET, budget - LAUNCHER_RESERVE);
  }

  /** Runs {@code serve} in a child JVM with a bounded heap when it needs one; its exit status, else -1. */
  static int runBounded(String[] args) {
    if (args.length == 0 || !args[0].equals("serve")) {
      // only serve runs bounded: the other commands skip the management beans (21 classes, tens of ms at start)
      return -1;
    }
    List<String> cmd = childCommand(args, ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getenv());
    if (cmd == null) {
      return -1;
    }
    ProcessBuilder builder = new ProcessBuilder(cmd).inheritIO();
    builder.environment().put(LAUNCHER_ENV, Long.toString(ProcessHandle.current().pid()));
    Process child;
    try {
      child = builder.start();
    } catch (IOException e) {
      Log.warn("cannot start serve with a bounded heap (" + e.getMessage() + "); serving with the JVM's default heap");
      return -1;
    }
    // SIGTERM or Ctrl-C here: the child stops cleanly, and this process ends with its status
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      child.destroy();
      Runtime.getRuntime().halt(waitFor(child));
    }, "memtrace-serve-launcher"));
    return waitFor(child);
  }

  /** In the child: when the launcher dies without stopping it (SIGKILL), stop cleanly instead of serving on alone. */
  static void watchLauncher() {
    String launcher = System.getenv(LAUNCHER_ENV);
    if (launcher == null) {
      return;
    }
    try {
      ProcessHandle.of(Long.parseLong(launcher)).ifPresentOrElse(
          p -> p.onExit().thenRun(BoundedHeap::launcherGone), BoundedHeap::launcherGone);
    } catch (NumberFormatException ignored) {
      // not a pid: nothing to watch
    }
  }

  private static void launcherGone() {
    Log.warn("the process that launched serve has ended; stopping");
    System.exit(1);
  }

  private static int waitFor(Process child) {
    while (true) {
      try {
        return child.waitFor();
      } catch (InterruptedException e) {
        // the child's status is what this process reports; keep waiting for it
      }
    }
  }

  private static boolean limitsHeap(List<String> jvmArgs) {
    return jvmArgs.stream().anyMatch(a -> HEAP_FLAGS.stream().anyMatch(a::startsWith));
  }

  /** Options the JVM took from the environment, which a child started with the same environment takes again. */
  private static List<String> envOptions(Map<String, String> env) {
    List<String> options = new ArrayList<>();
    for (String name : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        options.addAll(Arrays.asList(value.trim().split("\\s+")));
      }
    }
    return options;
  }

  private static String memoryOption(String[] args) {
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--memory") && i + 1 < args.length) {
        return args[i + 1];
      }
      if (args[i].startsWith("--memory=")) {
        return args[i].substring("--memory=".length());
      }
    }
    return null;
  }
}
