package io.memtrace.bench.overhead;

/**
 * The start-up probe: a main that does nothing. The harness times the whole process, JVM start to
 * exit, under each variant; a shutdown hook prints the peak RSS and the CPU time used as late as it
 * can, after whatever an agent started in the background has had the life of the process to grow.
 */
public final class TrivialMain {

  private TrivialMain() {
  }

  public static void main(String[] args) {
    Runtime.getRuntime().addShutdownHook(new Thread(() ->
        System.out.println("RESULT {\"peak_rss_kb\":" + ProcStatus.kilobytes("VmHWM")
            + ",\"exit_cpu_s\":" + ProcStatus.cpuSeconds() + "}")));
  }
}
