package com.acme.memory;

import java.util.List;

/** The fleet's shared memory: documents stored by key inside a partition. */
public interface MemoryManager {

  /** Stores {@code value} (written as JSON) under {@code key}. */
  void store(String key, Object value, StoreOptions options);

  /** The JSON stored under {@code key}, or {@code null} when there is none. */
  String retrieve(String key, String partition);

  /** Keys in {@code partition} matching {@code pattern}, where {@code %} is any run of characters. */
  List<String> search(String pattern, String partition);

  /** Deletes {@code key}; true when it existed. */
  boolean delete(String key, String partition);
}
