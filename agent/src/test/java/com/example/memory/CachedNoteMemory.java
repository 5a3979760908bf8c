package com.example.memory;

/** A subtype two levels below the interface, overriding one method only. */
public class CachedNoteMemory extends NoteMemory {

  @Override
  public String get(String key) {
    return "cached:" + super.get(key);
  }

  public String getStats() {
    return "stats";
  }
}
