package com.acme.fleet;

import com.acme.memory.MemoryManager;

/** One agent of the quality-engineering fleet: an identity and access to the shared memory. */
public abstract class FleetAgent {

  protected final String id;
  protected final String type;
  protected final MemoryManager memory;

  protected FleetAgent(String id, String type, MemoryManager memory) {
    this.id = id;
    this.type = type;
    this.memory = memory;
  }

  public String id() {
    return id;
  }
}
