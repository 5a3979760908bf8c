package com.example.memory;

import java.util.HashMap;
import java.util.Map;

/** Implements the interface with a generic value; subclasses narrow it (javac writes bridges). */
public abstract class BaseMemory<V> implements Memory<V> {

  protected final Map<String, V> values = new HashMap<>();

  @Override
  public V get(String key) {
    return values.get(key);
  }

  /** Abstract: no body to advise. */
  public abstract void clear();

  public native long nativeSize();
}
