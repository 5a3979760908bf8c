package io.memtrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.config.ConfigLoader;
import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.pipeline.SpanRing;
import io.memtrace.testsupport.MemtraceYaml;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full capture gets a larger ring when ring.size is left to its default; a size given anywhere is kept. While memtrace
 * starts, at most twice the ring waits beyond it.
 */
class RingSizeTest {

  @TempDir
  Path dir;

  @Test
  void shouldHoldAtMostTwoRingsBeyondTheRingWhileStarting() {
    MemtraceConfig defaults = config(Map.of(), "");
    assertThat(RingSizing.startupOverflow(defaults, SpanRing.create(RingSizing.ringSize(defaults)))).isEqualTo(16384);
    MemtraceConfig small = config(Map.of("MEMTRACE_RING_SIZE", "1024"), "");
    assertThat(RingSizing.startupOverflow(small, SpanRing.create(RingSizing.ringSize(small)))).isEqualTo(2048);
    MemtraceConfig fullCapture = config(Map.of("MEMTRACE_RETENTION_ENABLED", "false"), "");
    assertThat(RingSizing.startupOverflow(fullCapture, SpanRing.create(RingSizing.ringSize(fullCapture)))).isEqualTo(65536);
    MemtraceConfig noQueue = config(Map.of("MEMTRACE_EXPORT_MAX_QUEUED_SPANS", "0"), "");
    assertThat(RingSizing.startupOverflow(noQueue, SpanRing.create(8192))).isZero();
  }

  @Test
  void shouldKeepTheDefaultRingWithRetention() {
    assertThat(RingSizing.ringSize(config(Map.of(), ""))).isEqualTo(8192);
  }

  @Test
  void shouldGiveFullCaptureALargerRing() {
    assertThat(RingSizing.ringSize(config(Map.of("MEMTRACE_RETENTION_ENABLED", "false"), "")))
        .isEqualTo(RingSizing.FULL_CAPTURE_RING_SIZE).isEqualTo(32768);
  }

  /**
   * Key events keep the default ring: a carrier weighs a quarter span a command, and a ring of 16384 or more slots
   * kept G1's refinement threads busy with the cards its slots dirty.
   */
  @Test
  void shouldKeepTheDefaultRingWithKeyEvents() {
    assertThat(RingSizing.ringSize(config(Map.of("MEMTRACE_RETENTION_KEY_EVENTS", "true"), ""))).isEqualTo(8192);
    assertThat(RingSizing.ringSize(config(Map.of(), "retention:\n  key-events: true\n  enabled: true\n"))).isEqualTo(8192);
    assertThat(RingSizing.ringSize(config(Map.of("MEMTRACE_RETENTION_KEY_EVENTS", "true", "MEMTRACE_RING_SIZE", "32768"), "")))
        .as("given").isEqualTo(32768);
  }

  @Test
  void shouldKeepARingSizeGivenEvenAsTheDefaultValue() throws Exception {
    assertThat(RingSizing.ringSize(config(Map.of("MEMTRACE_RETENTION_ENABLED", "false", "MEMTRACE_RING_SIZE", "1024"), "")))
        .isEqualTo(1024);
    assertThat(RingSizing.ringSize(config(Map.of("MEMTRACE_RETENTION_ENABLED", "false"), "ring.size: 8192\n")))
        .as("given in the file, even as the default's value").isEqualTo(8192);
  }

  private MemtraceConfig config(Map<String, String> env, String yaml) {
    try {
      String args = "";
      if (!yaml.isEmpty()) {
        Path file = MemtraceYaml.write(dir, yaml);
        args = "config=" + file;
      }
      return ConfigLoader.load(args, env, new Properties()).config();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
