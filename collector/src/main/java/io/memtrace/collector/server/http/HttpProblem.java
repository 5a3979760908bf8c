package io.memtrace.collector.server.http;

/** A request the front answers itself, with this status and message, and then closes the connection. */
final class HttpProblem extends Exception {

  private static final long serialVersionUID = 1L;

  final int status;

  HttpProblem(int status, String message) {
    super(message);
    this.status = status;
  }
}
