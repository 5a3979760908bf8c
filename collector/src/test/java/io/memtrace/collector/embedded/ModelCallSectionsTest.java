package io.memtrace.collector.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.provenance.ContextRecord;
import io.memtrace.collector.provenance.ContextSource;
import io.memtrace.collector.provenance.ModelCall;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.reader.Section;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The report's model calls list the conversations with the most flags first, then the most calls, at most
 * {@link ModelCallSections#CONVERSATIONS} of them, and total every call and conversation.
 */
class ModelCallSectionsTest {

  @Test
  void shouldListTheFlaggedConversationsFirstThenTheBusiestAndTotalThemAll() {
    List<ModelCall> calls = new ArrayList<>();
    for (int c = 0; c < 30; c++) {
      for (int n = 0; n <= c % 4; n++) { // conv0 one call, conv1 two, conv2 three, conv3 four, conv4 one...
        calls.add(call("conv" + c, false));
      }
    }
    calls.add(call("conv28", true)); // a stale record in one of conv28's calls: listed first
    List<Section> sections = ModelCallSections.sections(calls, TenantRule.NONE);
    Section section = sections.get(0);
    List<List<Object>> rows = section.table().rows();
    assertThat(rows).hasSize(ModelCallSections.CONVERSATIONS);
    assertThat(rows.get(0).subList(1, 3)).containsExactly("conv28", 2L);
    assertThat(rows.get(0).get(8)).isEqualTo(1L);
    // then the seven conversations of four calls, by name, then those of three
    assertThat(rows.subList(1, 8)).extracting(r -> r.get(1)).containsExactly("conv11", "conv15", "conv19", "conv23",
        "conv27", "conv3", "conv7");
    assertThat(rows.get(8).get(2)).isEqualTo(3L);
    assertThat(section.totals()).containsEntry("calls", (long) calls.size()).containsEntry("conversations", 30L)
        .containsEntry("stale_contexts", 1L);
    assertThat(section.note()).contains("The 20 of 30 with the most stale contexts");
    assertThat(sections.get(1).table().rows()).hasSize(1);
  }

  @Test
  void shouldListEveryConversationWhenThereAreFew() {
    Section section = ModelCallSections.sections(List.of(call("a", false), call("b", false)), TenantRule.NONE).get(0);
    assertThat(section.table().rows()).hasSize(2);
    assertThat(section.note()).doesNotContain(" of 2 ");
  }

  private static ModelCall call(String conversation, boolean stale) {
    ContextRecord record = new ContextRecord("chat:" + conversation, "memory", "0000000000000002", "GET", "seen",
        "svc", "0".repeat(32), "task", 5.0, stale ? "other-svc" : null, null, null, false);
    ContextSource source = new ContextSource("0".repeat(32), "0000000000000001", "retrieve", "svc", "retrieve",
        "chat_memory", 1L, true, 0, null, List.of(record));
    return new ModelCall("0".repeat(32), "0000000000000003", "chat", "assistant", 0, "gpt", conversation, 100L, 1L,
        0.5, true, List.of(source));
  }
}
