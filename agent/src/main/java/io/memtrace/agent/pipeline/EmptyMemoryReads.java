package io.memtrace.agent.pipeline;

import io.memtrace.agent.pipeline.ProvenanceIndex.Contribution;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chat-memory reads that found nothing, by the conversation the hand-off they were made in named, for that
 * conversation's next model call: an empty read returned no message to follow by identity. They are never carried
 * on the hand-off's messages by identity: a message object one application shares between conversations would
 * carry every conversation's. Consumer thread only.
 */
final class EmptyMemoryReads {

  private static final int LIMIT = 10_000;

  private final Map<String, Contribution> byConversation = new LinkedHashMap<>();

  /**
   * {@code inside} less its chat-memory reads that found nothing, which are kept under {@code conversation}. A
   * read that found something forgets an earlier empty one of the conversation.
   */
  List<Contribution> setAside(List<Contribution> inside, Object conversation) {
    List<Contribution> rest = new ArrayList<>(inside.size());
    for (Contribution c : inside) {
      boolean chatMemory = ProvenanceIndex.CHAT_MEMORY.equals(c.source.kind);
      boolean empty = chatMemory && c.records == 0;
      if (!empty) {
        rest.add(c);
      }
      if (conversation == null || !chatMemory) {
        continue;
      }
      String id = String.valueOf(conversation);
      if (empty) {
        if (byConversation.size() >= LIMIT) {
          byConversation.clear(); // conversations whose model call never came
        }
        byConversation.put(id, c);
      } else {
        byConversation.remove(id);
      }
    }
    return rest;
  }

  /** The empty read kept for {@code conversation}, taken (a later call does not get it again), or null. */
  Contribution take(String conversation) {
    return conversation == null ? null : byConversation.remove(conversation);
  }
}
