package io.memtrace.agent.otel;

import io.memtrace.agent.bootstrap.JoinedParent;
import io.memtrace.agent.bootstrap.OtelSpanReader;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Reads the current span through method handles onto one copy of the OpenTelemetry API: the
 * OpenTelemetry agent's, shaded under {@link OtelApi#AGENT_PREFIX} on the bootstrap class path, or
 * the application's own. memtrace bundles no OpenTelemetry API of its own for this (its SDK copy
 * is relocated and never sees the application's context), and cannot link against either copy,
 * hence the handles. The API's getters return the hex strings the span context keeps, so a read
 * allocates nothing.
 */
final class MethodHandleSpanReader extends OtelSpanReader {

  private final MethodHandle currentContext;
  private final MethodHandle isValid;
  private final MethodHandle isSampled;
  private final MethodHandle traceId;
  private final MethodHandle spanId;

  private MethodHandleSpanReader(MethodHandle currentContext, MethodHandle isValid,
      MethodHandle isSampled, MethodHandle traceId, MethodHandle spanId) {
    this.currentContext = currentContext;
    this.isValid = isValid;
    this.isSampled = isSampled;
    this.traceId = traceId;
    this.spanId = spanId;
  }

  /** A reader onto the API found in {@code api}; throws when that API is not complete. */
  static MethodHandleSpanReader create(OtelApi api) throws ReflectiveOperationException {
    Class<?> span = api.load("api.trace.Span");
    Class<?> spanContext = api.load("api.trace.SpanContext");
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    MethodHandle current = lookup.findStatic(span, "current", MethodType.methodType(span));
    MethodHandle context = lookup.findVirtual(span, "getSpanContext", MethodType.methodType(spanContext));
    MethodType object = MethodType.methodType(Object.class, Object.class);
    MethodType test = MethodType.methodType(boolean.class, Object.class);
    MethodType text = MethodType.methodType(String.class, Object.class);
    return new MethodHandleSpanReader(
        MethodHandles.filterReturnValue(current, context).asType(MethodType.methodType(Object.class)),
        lookup.findVirtual(spanContext, "isValid", MethodType.methodType(boolean.class)).asType(test),
        lookup.findVirtual(spanContext, "isSampled", MethodType.methodType(boolean.class)).asType(test),
        lookup.findVirtual(spanContext, "getTraceId", MethodType.methodType(String.class)).asType(text),
        lookup.findVirtual(spanContext, "getSpanId", MethodType.methodType(String.class)).asType(text));
  }

  @Override
  protected boolean readCurrent(JoinedParent parent) {
    try {
      Object context = (Object) currentContext.invokeExact();
      if (context == null || !(boolean) isValid.invokeExact(context)) {
        return false;
      }
      return parent.setHex((String) traceId.invokeExact(context), (String) spanId.invokeExact(context),
          (boolean) isSampled.invokeExact(context));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
