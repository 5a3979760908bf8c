package com.example.memory;

/** A memory interface a rule names; its implementations are found through it. */
public interface Memory<V> {

  V get(String key);

  void put(String key, V value);

  /** A default method: the interface's own body, traced like a class's. */
  default V getOrDefault(String key, V fallback) {
    V value = get(key);
    return value == null ? fallback : value;
  }
}
