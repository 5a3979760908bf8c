package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DockerIgnoreTest {

  private final DockerIgnore ignore = DockerIgnore.parse(List.of("# only what the images copy", "*",
      "!agent/target/memtrace-agent.jar", "!deploy/docker/", "deploy/docker/*.tmp"));

  @Test
  void shouldSendOnlyWhatIsIncludedAgainAfterAStar() {
    assertThat(ignore.sends("agent/target/memtrace-agent.jar")).isTrue();
    assertThat(ignore.sends("agent/target/original-memtrace-agent.jar")).isFalse();
    assertThat(ignore.sends("agent/src/main/java/A.java")).isFalse();
    assertThat(ignore.sends("README.md")).isFalse();
  }

  @Test
  void shouldIncludeADirectoryWithItsContentsAndLetTheLastMatchDecide() {
    assertThat(ignore.sends("deploy/docker/demo.Dockerfile")).isTrue();
    assertThat(ignore.sends("deploy/docker/x.tmp")).isFalse();
    assertThat(ignore.sends("deploy/prometheus/alerts.yml")).isFalse();
  }

  @Test
  void shouldSendEverythingWithoutRules() {
    assertThat(DockerIgnore.parse(List.of()).sends("anything/at/all")).isTrue();
  }
}
