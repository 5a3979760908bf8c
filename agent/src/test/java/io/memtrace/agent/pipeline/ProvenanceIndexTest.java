package io.memtrace.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The provenance index: by identity, never by equality; a hand-off's own retrievals; a memory id's pending ones. */
class ProvenanceIndexTest {

  /** A message whose equals says two conversations' "hi" are the same: the index must not. */
  public static final class Message {
    private final String text;

    Message(String text) {
      this.text = text;
    }

    public String getText() {
      return text;
    }

    String text() {
      return text;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Message && ((Message) o).text.equals(text);
    }

    @Override
    public int hashCode() {
      return text.hashCode();
    }
  }

  private static ProvenanceIndex.Source source(long span, String kind, String key) {
    return new ProvenanceIndex.Source(1, 2, span, kind, key);
  }

  @Test
  void shouldTellEqualMessagesOfTwoConversationsApart() {
    ProvenanceIndex index = new ProvenanceIndex();
    Message alice = new Message("hi");
    Message bob = new Message("hi");
    index.read(source(10, "chat_memory", "alice"), List.of(alice));
    index.read(source(20, "chat_memory", "bob"), List.of(bob));

    assertThat(alice).isEqualTo(bob);
    assertThat(index.memoryOf(alice).key).isEqualTo("alice");
    assertThat(index.memoryOf(bob).key).isEqualTo("bob");
    assertThat(index.memoryOf(new Message("hi"))).isNull();
  }

  @Test
  void shouldGiveAHandOffOnlyTheRetrievalsMadeInsideIt() {
    ProvenanceIndex index = new ProvenanceIndex();
    Message shared = new Message("a fact every search returns, the same object");
    index.read(source(30, "retrieval", null), List.of(shared));
    index.readInside(7, source(30, "retrieval", null), List.of(shared));
    index.read(source(40, "retrieval", null), List.of(shared)); // another thread's search, later
    Message augmented = new Message("question + fact");

    index.handOff(7, List.of(shared), List.of(augmented), "conv-1", null);

    assertThat(index.carriedBy(augmented)).singleElement().satisfies(c -> {
      assertThat(c.source.spanId).isEqualTo(30);
      assertThat(c.records).isEqualTo(1);
      assertThat(c.bytes).isEqualTo(shared.text().length());
    });
    assertThat(index.takePending("conv-1")).hasSize(1);
    assertThat(index.takePending("conv-1")).as("taken once").isEmpty();
  }

  @Test
  void shouldFallBackToTheDocumentsIdentityWhenTheRetrievalRanElsewhere() {
    ProvenanceIndex index = new ProvenanceIndex();
    List<Message> docs = new ArrayList<>(List.of(new Message("d1"), new Message("d2")));
    index.read(source(50, "retrieval", null), docs);
    Message augmented = new Message("q");

    index.handOff(8, docs, List.of(augmented), null, "conv-2");

    assertThat(index.carriedBy(augmented)).singleElement()
        .satisfies(c -> assertThat(c.records).isEqualTo(2));
    assertThat(index.conversationOf(augmented)).isEqualTo("conv-2");
  }

  @Test
  void shouldLinkAnEmptyChatMemoryReadToItsOwnConversationsNextModelCall() {
    ProvenanceIndex index = new ProvenanceIndex();
    Message shared = new Message("a system message the application shares between conversations");
    Message alice = new Message("alice asks");
    Message bob = new Message("bob asks");
    index.readInside(1, source(60, "chat_memory", "alice"), List.of());
    index.readInside(2, source(70, "chat_memory", "bob"), List.of());
    index.handOff(1, null, List.of(shared, alice), null, "alice");
    index.handOff(2, null, List.of(shared, bob), null, "bob");

    PromptContext bobs = PromptContext.of(index, List.of(shared, bob));
    PromptContext alices = PromptContext.of(index, List.of(shared, alice));

    assertThat(bobs.links).singleElement().satisfies(c -> {
      assertThat(c.source.spanId).isEqualTo(70);
      assertThat(c.records).isZero();
    });
    assertThat(bobs.messages).isZero();
    assertThat(alices.links).singleElement().satisfies(c -> assertThat(c.source.spanId).isEqualTo(60));
    assertThat(PromptContext.of(index, List.of(shared, alice)).links).as("taken once").isEmpty();
  }

  @Test
  void shouldForgetAnEmptyReadWhenTheConversationsNextReadFoundMessages() {
    ProvenanceIndex index = new ProvenanceIndex();
    Message question = new Message("q");
    index.readInside(1, source(80, "chat_memory", "carol"), List.of());
    index.handOff(1, null, List.of(new Message("lost call")), null, "carol");
    Message earlier = new Message("earlier turn");
    index.read(source(90, "chat_memory", "carol"), List.of(earlier));
    index.readInside(2, source(90, "chat_memory", "carol"), List.of(earlier));
    index.handOff(2, null, List.of(earlier, question), null, "carol");

    assertThat(PromptContext.of(index, List.of(earlier, question)).links).singleElement()
        .satisfies(c -> assertThat(c.source.spanId).isEqualTo(90));
    assertThat(index.takeEmptyMemory("carol")).isNull();
  }

  @Test
  void shouldForgetWhatTheApplicationLetGo() throws Exception {
    WeakIdentityMap<String> map = new WeakIdentityMap<>(100);
    Object kept = new Object();
    map.put(kept, "kept");
    for (int i = 0; i < 50; i++) {
      map.put(new Object(), "dropped");
    }
    for (int i = 0; i < 20 && map.size() > 1; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(map.size()).isEqualTo(1);
    assertThat(map.get(kept)).isEqualTo("kept");
  }
}
