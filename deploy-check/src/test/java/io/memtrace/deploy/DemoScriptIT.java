package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.Commands;
import io.memtrace.testsupport.Ports;
import java.io.Closeable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./demo.sh}, the README's demo command, run as a user runs it (no terminal on its input, so it stops its
 * collector at the end), on the jars built earlier in the reactor.
 */
class DemoScriptIT {

  private static final Pattern COLLECTOR_PORT = Pattern.compile("== starting the memtrace collector on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern GRPC_PORT = Pattern.compile("OTLP/gRPC on 127\\.0\\.0\\.1:(\\d+)");

  @BeforeAll
  static void jarsAreBuilt() {
    // demo.sh builds missing jars with Maven: never from inside this build
    for (var jar : List.of(BuildPaths.AGENT_JAR, BuildPaths.DEMO_JAR, BuildPaths.COLLECTOR_JAR)) {
      assertThat(jar).as("built earlier in the reactor (mvn -B -q package -DskipTests)").isRegularFile();
    }
  }

  @Test
  void shouldRunTheWholeDemoWhileSomethingElseHoldsBothOtlpPorts() throws Exception {
    Commands.Result demo;
    try (Closeable grpc = Ports.taken(4317); Closeable http = Ports.taken(4318)) {
      demo = demo(Duration.ofMinutes(15), Map.of()); // a hang guard: 1-2 min quiet, over 4 at load 30
    }

    assertThat(demo.exit).as("%s", demo).isZero();
    assertThat(demo.output).doesNotContain("demo failed").contains("memtrace.events.dropped=0")
        .contains("Trace: aqe.workflow · aqe-fleet").contains("## Latency per operation")
        .contains("memory.session.size")
        .contains("planner: its model is a stand-in, an OpenAI-compatible server this demo started on")
        .contains("## Model calls and their memory")
        .containsPattern("\\| aqe-fleet \\| planning-user-service \\| 2 \\| 2 \\| \\d+ \\| 1\\.0 \\|");
    // the login state, cached for one second and read after: Redis's expiry named, and the read that missed it
    assertThat(demo.output).contains("== a record's timeline");
    String timeline = demo.output.substring(demo.output.indexOf("== a record's timeline"));
    assertThat(timeline).as(demo.output)
        .containsPattern("cache:oauth-state: \\d+ events")
        .containsPattern("\\n\\S+Z +write +SETEX by aqe-fleet \\(trace [0-9a-f]{32}\\)")
        .containsPattern("\\n\\S+Z +expiry +Redis expired it\\n")
        .containsPattern("\\n\\S+Z +read nothing +GET by aqe-fleet")
        .containsPattern("why: expired at \\S+Z\\n")
        .doesNotContain("changed outside");
    // the planner's conversation, whose values the demo captures: its versions as diffs, and time travel's command
    String versions = demo.output.substring(demo.output.indexOf("== a record's versions"));
    assertThat(versions).as(demo.output)
        .containsPattern("aqe/planner:planning-user-service: (\\d+) versions, \\1 with a captured value")
        .containsPattern("\\n +\\+ \\$\\[1\\]: \\{\"contents\":\\[\\{\"text\":"
            + "\"What should the fleet do next for UserService\\?\"")
        .containsPattern("restore --as-of [0-9a-f]{32} --namespace aqe/planner --into redis://");
    java.util.regex.Matcher first = Pattern.compile("\\nv1 +\\S+Z +replace +SETEX by aqe-fleet \\(trace ([0-9a-f]{32})\\)")
        .matcher(versions);
    assertThat(first.find()).isTrue();
    assertThat(versions).as("the command names the conversation's first trace").contains("restore --as-of "
        + first.group(1) + " ");
    int port = port(COLLECTOR_PORT, demo.output);
    assertThat(port).isNotEqualTo(4318);
    assertThat(demo.output).contains("127.0.0.1:" + port + ", 4318 being in use")
        .contains("http://127.0.0.1:" + port + "/?token=");
    String log = Files.readString(BuildPaths.repoPath("target/demo/collector.log"));
    assertThat(port(GRPC_PORT, log)).as(log).isNotEqualTo(4317);
  }

  @Test
  void shouldStopWithTheCollectorsReasonWhenItsPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Commands.Result demo = demo(Duration.ofMinutes(10), Map.of("MEMTRACE_DEMO_PORT", String.valueOf(port)));

      assertThat(demo.exit).as("%s", demo).isEqualTo(1);
      assertThat(demo.output).contains("demo failed: the memtrace collector did not start")
          .contains("cannot listen on 127.0.0.1:" + port)
          .doesNotContain("== running the demo under the agent");
    }
  }

  private static Commands.Result demo(Duration timeout, Map<String, String> env) {
    return Commands.run(BuildPaths.ROOT, timeout, env, List.of("bash", "demo.sh"));
  }

  private static int port(Pattern line, String text) {
    Matcher found = line.matcher(text);
    assertThat(found.find()).as("%s in:%n%s", line, text).isTrue();
    return Integer.parseInt(found.group(1));
  }
}
