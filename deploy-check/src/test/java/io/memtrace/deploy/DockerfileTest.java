package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class DockerfileTest {

  @Test
  void shouldReadStagesCopiesAndTheEntrypoint() throws IOException {
    Dockerfile file = Dockerfile.parse("""
        # build
        FROM --platform=linux/amd64 eclipse-temurin:17.0.13_11-jdk AS loop
        COPY a.jar \\
             b.java /build/
        RUN javac -d /out b.java
        FROM eclipse-temurin:17.0.13_11-jre
        COPY --from=loop --chown=1000 /out /opt/out
        COPY ["with space.txt", "/opt/x.txt"]
        ENTRYPOINT ["java", "-cp", "/opt/out", "Main"]
        """);
    assertThat(file.froms()).containsExactly(new Dockerfile.From("eclipse-temurin:17.0.13_11-jdk", "loop"),
        new Dockerfile.From("eclipse-temurin:17.0.13_11-jre", null));
    assertThat(file.copies()).containsExactly(
        new Dockerfile.Copy(java.util.List.of("a.jar", "b.java"), "/build/", null),
        new Dockerfile.Copy(java.util.List.of("/out"), "/opt/out", "loop"),
        new Dockerfile.Copy(java.util.List.of("with space.txt"), "/opt/x.txt", null));
    assertThat(file.entrypoint()).containsExactly("java", "-cp", "/opt/out", "Main");
  }
}
