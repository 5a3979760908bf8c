package io.memtrace.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the agent and the collector keep what they reuse across JVMs. */
class CacheRootTest {

  @Test
  void shouldTakeTheCacheFromTheEnvironmentThenXdgThenHome() {
    assertThat(CacheRoot.of(Map.of("MEMTRACE_CACHE_DIR", "/m", "XDG_CACHE_HOME", "/x"), "/h")).isEqualTo(Path.of("/m"));
    assertThat(CacheRoot.of(Map.of("XDG_CACHE_HOME", "/x", "MEMTRACE_CACHE_DIR", " "), "/h"))
        .isEqualTo(Path.of("/x/memtrace"));
    assertThat(CacheRoot.of(Map.of(), "/h")).isEqualTo(Path.of("/h/.cache/memtrace"));
  }
}
