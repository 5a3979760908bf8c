package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestPrograms;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the demo-app container runs, without the container: demo.Dockerfile's DemoLoop, compiled
 * against the demo jar as its build stage does, started as its ENTRYPOINT starts it, under the agent.
 */
class DemoLoopIT {

  private static final Pattern WORKFLOW = Pattern.compile("\"Test Plan Creation and Execution\"");

  @Test
  void shouldWaitForTheCollectorThenRepeatTheScenarioInOneJvm() throws Exception {
    Dockerfile dockerfile = Dockerfile.read(new ComposeFile().dockerfile("demo-app"));
    String source = dockerfile.copies().stream().flatMap(c -> c.sources().stream()).filter(s -> s.endsWith(".java"))
        .findFirst().orElseThrow();
    List<String> entrypoint = dockerfile.entrypoint();
    String mainClass = entrypoint.get(entrypoint.size() - 1);

    Path work = Paths.get("target/demo-loop-it").toAbsolutePath();
    String classPath = TestPrograms.compileInto(work.resolve("classes"), "17", BuildPaths.DEMO_JAR.toString(),
        Repo.path(source));

    AtomicInteger healthChecks = new AtomicInteger();
    HttpServer health = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    health.createContext("/", exchange -> {
      // not up on the first ask, up on the second: the loop must keep asking
      int n = healthChecks.incrementAndGet();
      exchange.sendResponseHeaders(n == 1 ? 503 : 200, -1);
      exchange.close();
    });
    health.start();
    try {
      DemoRun.Result run = DemoRun.run(work, ForkedJvm.program(classPath, mainClass)
          .env("DEMO_ITERATIONS", "2").env("DEMO_PAUSE_MS", "100")
          .env("DEMO_WAIT_FOR", "http://127.0.0.1:" + health.getAddress().getPort() + "/"));
      assertThat(healthChecks.get()).as("health checks asked").isEqualTo(2);
      assertThat(run.stdout()).contains("is up");
      assertThat(count("audit: ", run.stdout())).as("scenario runs\n" + run.stdout()).isEqualTo(2);
      Matcher workflows = WORKFLOW.matcher(Files.readString(run.spans()));
      int traces = 0;
      while (workflows.find()) {
        traces++;
      }
      assertThat(traces).as("seed-000 workflow spans, one per run").isEqualTo(2);
      assertThat(run.stderr()).contains("memtrace.events.dropped=0");
    } finally {
      health.stop(0);
    }
  }

  private static int count(String needle, String haystack) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
