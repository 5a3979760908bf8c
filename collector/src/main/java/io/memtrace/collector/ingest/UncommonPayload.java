package io.memtrace.collector.ingest;

/**
 * A body {@link SpanDecoder} does not take, being no common case: the generated parser's path takes it, and repairs or
 * refuses it with a precise message. Thrown as one shared instance, without a stack trace.
 */
final class UncommonPayload extends Exception {

  private static final long serialVersionUID = 1L;
  static final UncommonPayload INSTANCE = new UncommonPayload();

  private UncommonPayload() {
    super(null, null, false, false);
  }
}
