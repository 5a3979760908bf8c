package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.MEMORY_VALUE_FINGERPRINT;

import io.memtrace.agent.fingerprint.ValueFingerprint;
import io.memtrace.agent.span.SpanRecord;

/**
 * A memory call's {@code memory.value_size} and {@code memory.value.fingerprint}: from the value itself when it
 * has bytes of its own, else from what the Redis commands inside the call moved ({@link ChildBytes}' counts, the
 * {@code wire}). Consumer thread only.
 */
final class MemoryValueBytes {

  /** {@code capture.value-size: json}: a value without bytes of its own is measured as its JSON. */
  private final boolean json;
  /** {@code capture.fingerprints}: {@code null} when off. */
  private ValueFingerprint fingerprints;

  MemoryValueBytes(boolean json) {
    this.json = json;
  }

  void fingerprinting(ValueFingerprint fingerprints) {
    this.fingerprints = fingerprints;
  }

  boolean fingerprints() {
    return fingerprints != null;
  }

  /** {@code memory.value_size} of {@code value}, as the rule's {@code value-size} (or the global setting) says. */
  long measure(String mode, String op, Object value, long[] wire) {
    long size = ValueSize.bytes(value);
    if (size >= 0 || value == null) {
      return size;
    }
    String how = mode != null ? mode : json ? "json" : "auto";
    switch (how) {
      case "text":
        size = ValueSize.textBytes(value);
        return size >= 0 ? size : fromWire(op, wire);
      case "json":
        return ValueSize.jsonBytes(value);
      default:
        return fromWire(op, wire);
    }
  }

  /** Reads bring data back; everything else is judged by what it sent. */
  static long fromWire(String operation, long[] wire) {
    if (wire == null) {
      return -1;
    }
    long bytes = reads(operation) ? wire[ChildBytes.READ] : wire[ChildBytes.WRITTEN];
    return bytes > 0 ? bytes : Math.max(wire[ChildBytes.WRITTEN], wire[ChildBytes.READ]);
  }

  /** Puts the value's fingerprint on {@code attrs}, when fingerprints are on and there is one value to take. */
  void fingerprint(SpanRecord attrs, String op, Object value, long[] wire) {
    if (fingerprints == null) {
      return;
    }
    long fingerprint;
    if (ValueFingerprint.hasOwnBytes(value)) {
      fingerprint = fingerprints.of(value);
    } else {
      int direction = ChildBytes.oneFingerprint(wire, reads(op));
      if (direction < 0) {
        return;
      }
      fingerprint = ChildBytes.fingerprintOf(wire, direction);
    }
    attrs.putUtf8(MEMORY_VALUE_FINGERPRINT, fingerprints.hex(fingerprint), ValueFingerprint.HEX_DIGITS);
  }

  private static boolean reads(String operation) {
    return operation.startsWith("retrieve") || operation.startsWith("get") || operation.startsWith("read")
        || operation.startsWith("load") || operation.startsWith("search") || operation.startsWith("find");
  }
}
