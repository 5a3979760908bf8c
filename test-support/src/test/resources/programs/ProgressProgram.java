import io.memtrace.testsupport.Progress;
import java.time.Duration;

/** A wait on its own progress, in a JVM with test-support's classes and no JUnit on its class path. */
public class ProgressProgram {

  public static void main(String[] args) throws Exception {
    Progress progress = new Progress(ProcessHandle.current(), Duration.ofMinutes(1),
        Duration.ofMinutes(1));
    System.out.println(progress.await(millis -> true) == null ? "waited" : "failed");
  }
}
