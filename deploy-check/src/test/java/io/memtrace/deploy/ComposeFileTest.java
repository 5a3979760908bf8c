package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker-compose.yml: valid, complete on disk, pinned, ordered, and running the demo under the agent. */
class ComposeFileTest {

  private static final Pattern PINNED = Pattern.compile("[^:@]+(:[^:]*\\d[^:]*|@sha256:[0-9a-f]{64})");

  private final ComposeFile compose = new ComposeFile();

  @Test
  void shouldValidateWithDockerComposeConfig() {
    List<String> command = new ArrayList<>();
    Optional<Path> standalone = Tools.onPath("docker-compose");
    if (standalone.isPresent()) {
      command.add(standalone.get().toString());
    } else if (Tools.onPath("docker").isPresent()
        && Commands.run(Repo.ROOT, Duration.ofSeconds(30), List.of("docker", "compose", "version")).exit == 0) {
      command.addAll(List.of("docker", "compose"));
    } else {
      Tools.skip("docker-compose config -q: neither docker-compose nor `docker compose` is installed"
          + " (install it with `apt-get install -y docker-compose`)");
    }
    command.addAll(List.of("-f", ComposeFile.FILE, "config", "-q"));
    Commands.Result result = Commands.run(Repo.ROOT, Duration.ofSeconds(60), command);
    assertThat(result.exit).as(String.join(" ", command) + " says:\n" + result.output).isZero();
  }

  @Test
  void shouldFindEveryFileItMountsAndEveryNamedVolumeItUses() {
    compose.serviceNames().forEach(service -> compose.mounts(service).forEach(mount -> {
      if (mount.bind()) {
        assertThat(Repo.path(mount.source())).as("%s mounts %s", service, mount.source()).exists();
      } else {
        assertThat(compose.namedVolumes()).as("%s uses volume %s", service, mount.source()).contains(mount.source());
      }
    }));
  }

  @Test
  void shouldFindEverythingItBuildsFrom() throws IOException {
    List<String> built = new ArrayList<>();
    for (String service : compose.serviceNames()) {
      Optional<Map<String, Object>> build = compose.build(service);
      if (build.isEmpty()) {
        continue;
      }
      built.add(service);
      Path context = Repo.path(String.valueOf(build.get().get("context")));
      Path dockerfile = compose.dockerfile(service);
      assertThat(context).as("%s build context", service).isDirectory();
      assertThat(dockerfile).as("%s Dockerfile", service).isRegularFile();
      DockerIgnore ignore = DockerIgnore.read(context.resolve(".dockerignore"));
      for (Dockerfile.Copy copy : Dockerfile.read(dockerfile).copies()) {
        if (copy.fromStage() != null) {
          continue;
        }
        for (String source : copy.sources()) {
          assertThat(context.resolve(source)).as("%s: COPY %s (build the Maven artifacts first)", dockerfile, source)
              .exists();
          assertThat(ignore.sends(source)).as("%s: COPY %s is excluded by .dockerignore", dockerfile, source).isTrue();
        }
      }
    }
    assertThat(built).as("services built from this repository").contains("memtrace-collector", "demo-app");
  }

  @Test
  void shouldPinEveryImage() throws IOException {
    for (String service : compose.serviceNames()) {
      Object image = compose.service(service).get("image");
      if (compose.build(service).isPresent()) {
        Path dockerfile = compose.dockerfile(service);
        List<String> stages = new ArrayList<>();
        for (Dockerfile.From from : Dockerfile.read(dockerfile).froms()) {
          if (!stages.contains(from.image())) {
            assertPinned(dockerfile.getFileName() + " FROM", from.image());
          }
          if (from.stage() != null) {
            stages.add(from.stage());
          }
        }
      } else {
        assertThat(image).as("%s has an image or a build", service).isNotNull();
        assertPinned(service, String.valueOf(image));
      }
    }
  }

  @Test
  void shouldStartEachServiceAfterWhatItNeeds() {
    for (String service : compose.serviceNames()) {
      compose.dependsOn(service).forEach((dependency, condition) -> {
        assertThat(compose.serviceNames()).as("%s depends on", service).contains(dependency);
        if (condition.equals("service_healthy")) {
          assertThat(compose.service(dependency)).as("%s waits for %s to be healthy", service, dependency)
              .containsKey("healthcheck");
        }
      });
    }
    assertThat(compose.dependsOn("demo-app")).containsEntry("redis", "service_healthy").containsKey("otel-collector");
    assertThat(compose.dependsOn("otel-collector")).containsKeys("jaeger", "memtrace-collector");
    assertThat(compose.dependsOn("grafana")).containsKey("prometheus");
    assertThat(compose.dependsOn("prometheus")).containsKey("otel-collector");
    // the collector image has no shell for a health check; the demo polls its health_check extension instead
    assertThat(compose.environment("demo-app")).containsKey("DEMO_WAIT_FOR");
  }

  @Test
  void shouldPublishTheMemtraceCollectorOnLoopbackOnlyAndAnswerToItsServiceName() {
    // its OTLP ingest takes data without a token, so the host publishes it to this machine alone
    List<Object> ports = Repo.list(compose.service("memtrace-collector").get("ports"), "memtrace-collector.ports");
    assertThat(ports).isNotEmpty().allSatisfy(p -> assertThat(String.valueOf(p)).startsWith("127.0.0.1:"));
    // the OTel Collector sends to http://memtrace-collector:4318, a Host the collector refuses unless allowed
    assertThat(compose.commandOption("memtrace-collector", "--allowed-host")).hasValue("memtrace-collector");
    assertThat(String.valueOf(compose.service("memtrace-collector").get("healthcheck")))
        .as("the health check sends the API token /api/status requires").contains("Authorization: Bearer")
        .contains("/data/api-token");
  }

  @Test
  void shouldRunTheDemoUnderTheAgentCopiedIntoItsImage() throws IOException {
    Map<String, String> env = compose.environment("demo-app");
    Matcher agent = Pattern.compile("-javaagent:(\\S+?)=config=(\\S+)").matcher(env.getOrDefault("JAVA_TOOL_OPTIONS", ""));
    assertThat(agent.find()).as("JAVA_TOOL_OPTIONS attaches the agent with a config: %s", env).isTrue();
    Path dockerfile = compose.dockerfile("demo-app");
    List<Dockerfile.Copy> copies = Dockerfile.read(dockerfile).copies();
    assertThat(copies).as("the image holds the agent jar at " + agent.group(1))
        .anyMatch(c -> c.destination().equals(agent.group(1)) && c.sources().equals(List.of("agent/target/memtrace-agent.jar")));
    assertThat(copies).as("the image holds the demo's memtrace.yaml at " + agent.group(2))
        .anyMatch(c -> c.destination().equals(agent.group(2)) && c.sources().equals(List.of("demo-app/memtrace.yaml")));
    assertThat(env).containsKey("OTEL_SERVICE_NAME").containsEntry("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    assertThat(ComposeFile.hostAndPort(env.get("OTEL_EXPORTER_OTLP_ENDPOINT")).getKey()).isEqualTo("otel-collector");
    assertThat(ComposeFile.hostAndPort(env.get("REDIS_URL")).getKey()).isEqualTo("redis");
  }

  @Test
  void shouldBuildTheDemoLoopFromTheFileItCopies() throws IOException {
    Path dockerfile = compose.dockerfile("demo-app");
    Dockerfile demo = Dockerfile.read(dockerfile);
    String mainClass = demo.entrypoint().get(demo.entrypoint().size() - 1);
    String source = demo.copies().stream().flatMap(c -> c.sources().stream()).filter(s -> s.endsWith(".java"))
        .findFirst().orElseThrow(() -> new AssertionError(dockerfile + " copies no Java source"));
    String code = Files.readString(Repo.path(source));
    String simpleName = mainClass.substring(mainClass.lastIndexOf('.') + 1);
    assertThat(code).as("%s declares the ENTRYPOINT class %s", source, mainClass)
        .contains("package " + mainClass.substring(0, mainClass.lastIndexOf('.')) + ";")
        .contains("class " + simpleName);
  }

  private static void assertPinned(String where, String image) {
    assertThat(image).as("%s image '%s' has a version tag (not latest) or a digest", where, image)
        .matches(PINNED).doesNotEndWith(":latest");
  }
}
