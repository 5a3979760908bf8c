package io.memtrace.agent.instrumentation;

import java.util.Arrays;

/**
 * A class woven before it loads, from the class file its loader will define it from: what
 * {@link KnownTypeTransformer#warmUp} keeps so that the application thread that loads the class
 * does not weave it a second time. It applies only to that loader and that class, and only if the
 * bytes the JVM hands over are the very bytes it was woven from.
 */
final class Rehearsal {

  private final ClassLoader loader;
  private final String internalName;
  private final byte[] input;
  private final byte[] woven;

  Rehearsal(ClassLoader loader, String internalName, byte[] input, byte[] woven) {
    this.loader = loader;
    this.internalName = internalName;
    this.input = input.clone();
    this.woven = woven.clone();
  }

  /** Whether it is the class {@code internalName} of {@code loader}. */
  boolean isFor(ClassLoader loader, String internalName) {
    return this.loader == loader && this.internalName.equals(internalName);
  }

  /** Whether {@code bytes} are the class file it was woven from. */
  boolean sameInput(byte[] bytes) {
    return Arrays.equals(input, bytes);
  }

  /** A copy of the woven class file. */
  byte[] woven() {
    return woven.clone();
  }
}
