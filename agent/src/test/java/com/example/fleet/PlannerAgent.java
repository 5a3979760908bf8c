package com.example.fleet;

/** A task class: methods whose names start with run are traced, others are not. */
public class PlannerAgent {

  public void run() {
  }

  public void runAsync(int attempts) {
  }

  public void rerun() {
  }

  void plan() {
  }
}
