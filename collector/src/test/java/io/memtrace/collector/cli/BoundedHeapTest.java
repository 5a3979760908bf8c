package io.memtrace.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.boot.CollectorLauncher;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When {@code serve} runs itself again with a bounded heap, and how. */
class BoundedHeapTest {

  private static final String[] SERVE = {"serve", "--port", "0", "--memory", "1GiB"};

  @Test
  void shouldRelaunchServeWithTheHeapShareOfTheBudgetWhenNoHeapLimitWasGiven() {
    List<String> cmd = BoundedHeap.childCommand(SERVE, List.of("-Dx=1"), Map.of());

    // three tenths of 1 GiB less the launcher's 64 MiB
    assertThat(cmd).contains("-Dx=1", "-Xmx288m", CollectorLauncher.class.getName())
        .endsWith(SERVE);
  }

  @Test
  void shouldShareOutWhatTheLauncherLeavesOnlyInTheChildAndNeverBelowTheLeastBudget() {
    long gib = 1L << 30;
    assertThat(BoundedHeap.servingBudget(gib, Map.of())).isEqualTo(gib);
    assertThat(BoundedHeap.servingBudget(gib, Map.of(BoundedHeap.LAUNCHER_ENV, "1"))).isEqualTo(gib - (64L << 20));
    assertThat(BoundedHeap.servingBudget(300L << 20, Map.of(BoundedHeap.LAUNCHER_ENV, "1")))
        .isEqualTo(io.memtrace.collector.store.MemoryLimit.MIN_BUDGET);
  }

  @Test
  void shouldSizeTheHeapFromTheEnvironmentWhenNoOptionIsGiven() {
    List<String> cmd = BoundedHeap.childCommand(new String[] {"serve"}, List.of(), Map.of("MEMTRACE_MEMORY", "512MiB"));

    assertThat(cmd).contains("-Xmx134m");
  }

  @Test
  void shouldRunAsItIsWhenTheHeapIsLimitedOrItIsTheChildOrNotServe() {
    assertThat(BoundedHeap.childCommand(SERVE, List.of("-Xmx2g"), Map.of())).isNull();
    assertThat(BoundedHeap.childCommand(SERVE, List.of("-XX:MaxRAMPercentage=10"), Map.of())).isNull();
    assertThat(BoundedHeap.childCommand(SERVE, List.of(), Map.of("JAVA_TOOL_OPTIONS", "-Xmx1g"))).isNull();
    assertThat(BoundedHeap.childCommand(SERVE, List.of(), Map.of(BoundedHeap.LAUNCHER_ENV, "1"))).isNull();
    assertThat(BoundedHeap.childCommand(new String[] {"query", "SELECT 1"}, List.of(), Map.of())).isNull();
  }

  @Test
  void shouldLeaveABadBudgetToServeToReport() {
    assertThat(BoundedHeap.childCommand(new String[] {"serve", "--memory=1MiB"}, List.of(), Map.of())).isNull();
  }

  @Test
  void shouldNotRepeatOptionsTheChildTakesFromTheEnvironmentAgain() {
    List<String> cmd = BoundedHeap.childCommand(SERVE, List.of("-javaagent:a.jar", "-Dy=2"),
        Map.of("JAVA_TOOL_OPTIONS", "-javaagent:a.jar"));

    assertThat(cmd).doesNotContain("-javaagent:a.jar").contains("-Dy=2");
  }
}
