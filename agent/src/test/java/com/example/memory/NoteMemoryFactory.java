package com.example.memory;

/** Its name starts like the memories' but does not end like them, and it implements nothing. */
public class NoteMemoryFactory {

  public NoteMemory get(String key) {
    return new NoteMemory();
  }
}
