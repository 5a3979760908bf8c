package io.memtrace.collector.redis;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Response;

/**
 * The answers of one pipeline that wrote several keys, each key's commands queued one after another: which key an
 * error reply, or a missing answer, belongs to. Redis closes the connection on some errors (a value over
 * proto-max-bulk-len), and then the key to name is the first whose answers did not all come back as success.
 */
final class KeyedAnswers {

  private final List<Response<?>> answers = new ArrayList<>();
  /** For each key, the index after its last answer. */
  private final int[] ends;

  KeyedAnswers(int keys) {
    this.ends = new int[keys];
  }

  /** Where the commands of the key being queued add their answers. */
  List<Response<?>> answers() {
    return answers;
  }

  /** Every answer added since the key before belongs to key {@code key}. */
  void endKey(int key) {
    ends[key] = answers.size();
  }

  /** Reads key {@code key}'s answers: an error reply throws here. */
  void check(int key) {
    for (int a = begin(key); a < ends[key]; a++) {
      answers.get(a).get();
    }
  }

  /** The first of key {@code key}'s answers that failed, or null. */
  RuntimeException failure(int key) {
    try {
      check(key);
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** The index of the first key one of whose answers is an error or never came; 0 when none. */
  int firstFailed() {
    for (int key = 0; key < ends.length; key++) {
      if (failure(key) != null) {
        return key;
      }
    }
    return 0;
  }

  private int begin(int key) {
    return key == 0 ? 0 : ends[key - 1];
  }
}
