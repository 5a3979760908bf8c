package io.memtrace.agent.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a prompt was given from memory, found in the {@link ProvenanceIndex} from its messages: the memory spans
 * to link, each with what it gave, and the totals ({@code memtrace.context.messages}, {@code records},
 * {@code bytes}, {@code prompt_share}). The same for memtrace's own model spans and for a span another
 * instrumentation made. Consumer thread only.
 */
final class PromptContext {

  /** The chat-memory reads, then the retrievals, each once. */
  final List<ProvenanceIndex.Contribution> links = new ArrayList<>();
  long messages;
  long records;
  long bytes;
  /** The share of the prompt's bytes from memory, or a negative number when the prompt had none. */
  double promptShare = -1;
  /** The chat memory's key when one fed the prompt, else the conversation a hand-off named, or null. */
  String memoryKey;

  private PromptContext() {
  }

  /** Whether anything in the prompt came from memory. */
  boolean any() {
    return !links.isEmpty();
  }

  /** Finds the memory of the prompt {@code messages}; takes the retrievals handed on under its memory key. */
  static PromptContext of(ProvenanceIndex provenance, Object messages) {
    PromptContext prompt = new PromptContext();
    Map<Long, ProvenanceIndex.Contribution> memory = new LinkedHashMap<>();
    Map<Long, ProvenanceIndex.Contribution> retrieved = new LinkedHashMap<>();
    Map<Long, ProvenanceIndex.Contribution> carriedMemory = new LinkedHashMap<>();
    long promptBytes = 0;
    for (Object message : PromptParts.items(messages)) {
      if (message == null) {
        continue;
      }
      long bytes = Math.max(ValueSize.textBytes(message), 0);
      promptBytes += bytes;
      ProvenanceIndex.Source source = provenance.memoryOf(message);
      if (source != null) {
        ProvenanceIndex.Contribution c = memory.computeIfAbsent(source.spanId,
            k -> new ProvenanceIndex.Contribution(source));
        c.records++;
        c.bytes += bytes;
      }
      for (ProvenanceIndex.Contribution c : provenance.carriedBy(message)) {
        // a chat memory an advisor wrote into a message's text (PromptChatMemoryAdvisor) counts as its messages
        (ProvenanceIndex.CHAT_MEMORY.equals(c.source.kind) ? carriedMemory : retrieved).putIfAbsent(c.source.spanId, c);
      }
      // the last message a hand-off named wins: the question, last, is the call's own, where an earlier one (a
      // system message) may be an object the application shares between conversations
      String named = provenance.conversationOf(message);
      if (named != null) {
        prompt.memoryKey = named;
      }
    }
    for (ProvenanceIndex.Contribution c : carriedMemory.values()) {
      memory.putIfAbsent(c.source.spanId, c); // unless its messages are in the prompt themselves
    }
    if (memory.isEmpty()) { // the conversation's memory was read and held nothing: that read is linked, 0 records
      ProvenanceIndex.Contribution empty = provenance.takeEmptyMemory(prompt.memoryKey);
      if (empty != null) {
        memory.put(empty.source.spanId, empty);
      }
    }
    for (ProvenanceIndex.Contribution c : memory.values()) {
      if (c.source.key != null) { // the chat memory's own key names the conversation first
        prompt.memoryKey = c.source.key;
        break;
      }
    }
    // retrieved text that travelled through the chat memory is inside the memory's messages: its bytes are counted there
    Map<Long, ProvenanceIndex.Contribution> throughMemory = new LinkedHashMap<>();
    for (ProvenanceIndex.Contribution c : provenance.takePending(prompt.memoryKey)) {
      if (!retrieved.containsKey(c.source.spanId)) {
        throughMemory.putIfAbsent(c.source.spanId, c);
      }
    }
    for (ProvenanceIndex.Contribution c : memory.values()) {
      prompt.links.add(c);
      prompt.messages += c.records;
      prompt.bytes += c.bytes;
    }
    for (ProvenanceIndex.Contribution c : retrieved.values()) {
      prompt.links.add(c);
      prompt.records += c.records;
      prompt.bytes += c.bytes;
    }
    for (ProvenanceIndex.Contribution c : throughMemory.values()) {
      prompt.links.add(c);
      prompt.records += c.records;
    }
    if (promptBytes > 0) {
      prompt.promptShare = Math.min(1.0, prompt.bytes / (double) promptBytes);
    }
    return prompt;
  }
}
