package io.memtrace.agent.util;

/**
 * What a failed call into the application's client library (through a method handle or reflection) means: an
 * exception or a {@link LinkageError} says the client differs from what memtrace expects, and the caller answers
 * with its neutral value (no span detail, never a failure of the application); any other {@link Error} (out of
 * memory, a stack overflow) is the JVM's, and goes on.
 */
public final class ClientCallFailures {

  private ClientCallFailures() {
  }

  /** {@code neutral}, unless {@code failure} is an {@link Error} other than a {@link LinkageError}, which is thrown. */
  public static <T> T neutral(Throwable failure, T neutral) {
    if (failure instanceof Error && !(failure instanceof LinkageError)) {
      throw (Error) failure;
    }
    return neutral;
  }
}
