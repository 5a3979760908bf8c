package com.example.fleet;

/** Named like the fleet but not an agent: {@code *Agent} does not match it. */
public class AgentRegistry {

  public void run() {
  }
}
