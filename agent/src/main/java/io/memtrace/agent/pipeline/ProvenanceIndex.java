package io.memtrace.agent.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which memory read each object an application may put into a prompt came from, taken at the
 * frameworks' hand-off points and never by time or thread: a chat-memory read's returned messages and
 * a retrieval's returned documents are indexed by identity when their span ends; a hand-off (an
 * advisor's or a retrieval augmentor's result) ties the documents it consumed to the message or
 * conversation that carries them on; a model call looks up its prompt's messages. Spans end on the
 * ring in the order they ended in the application, so a read is always indexed before the model call
 * it fed is looked up. Consumer thread only.
 */
final class ProvenanceIndex {

  static final String CHAT_MEMORY = "chat_memory";
  static final String RETRIEVAL = "retrieval";
  private static final int LIMIT = 200_000;
  private static final int PENDING_LIMIT = 10_000;

  /** One memory span whose results reached a prompt. */
  static final class Source {
    final long traceIdHigh;
    final long traceIdLow;
    final long spanId;
    final String kind;
    /** The read's memory key (a conversation or memory id), or null. */
    final String key;

    Source(long traceIdHigh, long traceIdLow, long spanId, String kind, String key) {
      this.traceIdHigh = traceIdHigh;
      this.traceIdLow = traceIdLow;
      this.spanId = spanId;
      this.kind = kind;
      this.key = key;
    }
  }

  /** What one source gave a prompt: its records (messages or documents) and their bytes. */
  static final class Contribution {
    final Source source;
    long records;
    long bytes;

    Contribution(Source source) {
      this.source = source;
    }
  }

  /** A returned message, document, match or segment: the read it came from. */
  private final WeakIdentityMap<Source> reads = new WeakIdentityMap<>(LIMIT);
  /** A message a hand-off built from retrieved documents: what those documents were. */
  private final WeakIdentityMap<List<Contribution>> carried = new WeakIdentityMap<>(LIMIT);
  /** A prompt message a hand-off named the conversation of (Spring AI's advisor context). */
  private final WeakIdentityMap<String> conversations = new WeakIdentityMap<>(LIMIT);
  /** Retrievals made inside a hand-off call on its stack, by the hand-off's id, until it ends. */
  private final Map<Long, List<Contribution>> insideHandOff = new LinkedHashMap<>();
  /** Retrievals handed on under a memory id, for its next model call (the message went through a store). */
  private final Map<String, List<Contribution>> pending = new LinkedHashMap<>();
  /** Chat-memory reads that found nothing, by the conversation the hand-off they were made in named. */
  private final EmptyMemoryReads emptyMemory = new EmptyMemoryReads();

  /** Indexes what a read returned: each item, and the segment inside a search match. */
  void read(Source source, Object returned) {
    for (Object item : PromptParts.items(returned)) {
      if (item == null) {
        continue;
      }
      reads.put(item, source);
      Object inner = PromptParts.inner(item);
      if (inner != null) {
        reads.put(inner, source);
      }
    }
  }

  /**
   * A read made inside the hand-off call {@code handOffId} on its stack: what that hand-off passes on (a
   * retrieval's documents, or a chat memory an advisor writes into the prompt's text). A retrieval that returned
   * nothing passes nothing on; a chat-memory read that found nothing is kept, with no records, for the hand-off to
   * name its conversation (see {@link #takeEmptyMemory}).
   */
  void readInside(long handOffId, Source source, Object returned) {
    if (insideHandOff.size() >= PENDING_LIMIT) {
      insideHandOff.clear(); // hand-offs whose end was lost
    }
    Contribution c = new Contribution(source);
    for (Object item : PromptParts.items(returned)) {
      c.records++;
    }
    if (c.records == 0 && !CHAT_MEMORY.equals(source.kind)) {
      return;
    }
    c.bytes = Math.max(ValueSize.textBytes(returned), 0);
    insideHandOff.computeIfAbsent(handOffId, k -> new ArrayList<>(1)).add(c);
  }

  /**
   * A hand-off: {@code documents} were consumed into {@code messages} (those not from chat memory),
   * and, when the messages will travel through a chat memory, under {@code memoryId}.
   */
  void handOff(long handOffId, Object documents, Object messages, Object memoryId, Object conversation) {
    if (conversation != null) {
      String id = String.valueOf(conversation);
      for (Object message : PromptParts.items(messages)) {
        if (message != null) {
          conversations.put(message, id);
        }
      }
    }
    List<Contribution> inside = insideHandOff.remove(handOffId);
    List<Contribution> found = new ArrayList<>();
    if (inside != null) {
      found.addAll(scoped(emptyMemory.setAside(inside, conversation), documents));
    }
    if (found.stream().noneMatch(c -> RETRIEVAL.equals(c.source.kind))) {
      found.addAll(byIdentity(documents));
    }
    if (found.isEmpty()) {
      return;
    }
    for (Object message : PromptParts.items(messages)) {
      if (message != null && reads.get(message) == null) {
        carried.put(message, merged(carried.get(message), found)); // a later hand-off adds to an earlier one's
      }
    }
    List<Contribution> retrievals = new ArrayList<>();
    for (Contribution c : found) {
      if (RETRIEVAL.equals(c.source.kind)) {
        retrievals.add(c);
      }
    }
    if (memoryId != null && !retrievals.isEmpty()) {
      if (pending.size() >= PENDING_LIMIT) {
        pending.clear();
      }
      pending.put(String.valueOf(memoryId), retrievals);
    }
  }

  private static List<Contribution> merged(List<Contribution> earlier, List<Contribution> found) {
    if (earlier == null) {
      return found;
    }
    List<Contribution> all = new ArrayList<>(earlier);
    for (Contribution c : found) {
      if (all.stream().noneMatch(e -> e.source.spanId == c.source.spanId)) {
        all.add(c);
      }
    }
    return all;
  }

  /**
   * One retrieval inside the hand-off gave all the documents it passed on; several each count what they returned;
   * a chat memory read inside it counts the messages it returned.
   */
  private static List<Contribution> scoped(List<Contribution> inside, Object documents) {
    List<Contribution> retrievals = new ArrayList<>();
    for (Contribution c : inside) {
      if (RETRIEVAL.equals(c.source.kind)) {
        retrievals.add(c);
      }
    }
    if (retrievals.size() == 1 && documents != null) {
      Contribution only = retrievals.get(0);
      only.records = 0;
      only.bytes = 0;
      for (Object doc : PromptParts.items(documents)) {
        only.records++;
        only.bytes += Math.max(ValueSize.textBytes(doc), 0);
      }
    }
    return inside;
  }

  /** The reads the documents themselves came from (a hand-off on another thread than its retrievals). */
  private List<Contribution> byIdentity(Object documents) {
    Map<Long, Contribution> bySpan = new LinkedHashMap<>();
    for (Object doc : PromptParts.items(documents)) {
      Source source = sourceOf(doc);
      if (source == null) {
        continue;
      }
      Contribution c = bySpan.computeIfAbsent(source.spanId, k -> new Contribution(source));
      c.records++;
      long bytes = ValueSize.textBytes(doc);
      c.bytes += Math.max(bytes, 0);
    }
    return new ArrayList<>(bySpan.values());
  }

  private Source sourceOf(Object doc) {
    Source source = reads.get(doc);
    if (source == null) {
      Object inner = PromptParts.inner(doc);
      source = inner == null ? null : reads.get(inner);
    }
    return source;
  }

  /** The conversation a hand-off named for a prompt message, or null. */
  String conversationOf(Object message) {
    return conversations.get(message);
  }

  /** The chat-memory source of a prompt message, or null. */
  Source memoryOf(Object message) {
    return reads.get(message);
  }

  /** The retrievals a prompt message carries, or an empty list. */
  List<Contribution> carriedBy(Object message) {
    List<Contribution> c = carried.get(message);
    return c == null ? Collections.emptyList() : c;
  }

  /**
   * The chat-memory read of {@code conversation} that found nothing, made in the hand-off that named it, taken (a
   * later call does not get it again), or null.
   */
  Contribution takeEmptyMemory(String conversation) {
    return emptyMemory.take(conversation);
  }

  /** The retrievals handed on under {@code memoryId}, taken (a later call does not get them again). */
  List<Contribution> takePending(String memoryId) {
    List<Contribution> c = memoryId == null ? null : pending.remove(memoryId);
    return c == null ? Collections.emptyList() : c;
  }
}
