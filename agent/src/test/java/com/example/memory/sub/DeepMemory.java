package com.example.memory.sub;

/** In a sub-package: {@code com.example.memory.*Memory} reaches it, since * spans dots. */
public class DeepMemory {

  public String get(String key) {
    return key;
  }
}
