package com.example.memory;

import java.util.function.Supplier;

/** A memory manager with overloads, a covariant override, a lambda and a static method. */
public class NoteMemory extends BaseMemory<String> implements Comparable<NoteMemory> {

  public NoteMemory() {
  }

  /** Narrows {@code V get(String)}: javac adds a bridge {@code Object get(String)}. */
  @Override
  public String get(String key) {
    Supplier<String> lookup = () -> values.get(key); // a synthetic lambda$get$0
    return lookup.get();
  }

  /** An overload: the same name, other parameters. */
  public String get(String key, String namespace) {
    return values.get(namespace + ":" + key);
  }

  @Override
  public void put(String key, String value) {
    values.put(key, value);
  }

  @Override
  public void clear() {
    values.clear();
  }

  public static NoteMemory create() {
    return new NoteMemory();
  }

  @Override
  public int compareTo(NoteMemory other) {
    return Integer.compare(values.size(), other.values.size());
  }
}
