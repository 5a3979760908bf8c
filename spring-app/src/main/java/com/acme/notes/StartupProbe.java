package com.acme.notes;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

/**
 * Start-up timing: with {@code --probe} (or {@code NOTES_PROBE=true}) the application starts,
 * stores and reads back one note through {@link NoteMemory}, prints when the store's reply came
 * and the process's CPU time by then ({@code RESULT {"first_reply_epoch_ms":...,"first_reply_cpu_s":...}}) and {@code probe ok}, and exits, so the run's wall
 * time is a start-up with the first Redis commands in it, and the shutdown after them.
 */
@Component
public class StartupProbe implements ApplicationRunner {

  private final NoteMemory notes;
  private final ConfigurableApplicationContext context;

  public StartupProbe(NoteMemory notes, ConfigurableApplicationContext context) {
    this.notes = notes;
    this.context = context;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (!args.containsOption("probe") && !"true".equals(System.getenv("NOTES_PROBE"))) {
      return;
    }
    notes.store("probe", "started");
    long firstReply = System.currentTimeMillis();
    long firstReplyCpuNanos = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos()).orElse(-1L);
    boolean ok = "started".equals(notes.retrieve("probe"));
    System.out.println("RESULT {\"first_reply_epoch_ms\":" + firstReply + ",\"first_reply_cpu_s\":"
        + firstReplyCpuNanos / 1e9 + "}");
    System.out.println(ok ? "probe ok" : "probe FAILED");
    System.exit(SpringApplication.exit(context, () -> ok ? 0 : 1));
  }
}
