package com.example.memory;

/** Has the memories' method names but is no memory: neither its name nor its supertypes match. */
public class LooseNotes {

  public String get(String key) {
    return key;
  }

  public void put(String key, String value) {
  }
}
