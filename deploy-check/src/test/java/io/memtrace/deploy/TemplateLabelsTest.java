package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TemplateLabelsTest {

  @Test
  void shouldFindTheLabelsOfAlertTemplatesAndLegends() {
    assertThat(TemplateLabels.inAlertTemplate("{{ $labels.memory_system }} {{$labels.job}} {{ $value | humanize }}"))
        .containsExactly("memory_system", "job");
    assertThat(TemplateLabels.inLegend("{{memory_operation}} {{ memory_namespace }} p95")).containsExactly("memory_operation",
        "memory_namespace");
  }
}
