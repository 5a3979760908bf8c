package io.memtrace.agent.otel;

import io.memtrace.agent.bootstrap.JoinedParent;
import io.memtrace.agent.bootstrap.OtelSpanReader;
import io.memtrace.agent.util.AgentLog;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stands in for a {@link MethodHandleSpanReader} until its API can be bound: the first read binds
 * it and installs it in its own place (or installs nothing, if the API is incomplete), and then
 * reads through it. Reads meanwhile on other threads find no span rather than wait.
 */
final class BindingSpanReader extends OtelSpanReader {

  private final OtelApi api;
  private final AtomicBoolean claimed = new AtomicBoolean();
  private volatile MethodHandleSpanReader bound;

  BindingSpanReader(OtelApi api) {
    this.api = api;
  }

  @Override
  protected boolean readCurrent(JoinedParent parent) {
    MethodHandleSpanReader reader = bound;
    if (reader == null) {
      if (!claimed.compareAndSet(false, true)) {
        return false;
      }
      reader = bind();
      if (reader == null) {
        return false;
      }
    }
    return reader.readCurrent(parent);
  }

  private MethodHandleSpanReader bind() {
    MethodHandleSpanReader reader = null;
    try {
      reader = MethodHandleSpanReader.create(api);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      AgentLog.warnOnce("otel-api-" + api.isAgents(), "memtrace cannot read the current span from "
          + api + ", so its spans do not join that trace: " + e, null);
    }
    bound = reader;
    if (OtelSpanReader.installed() == this) {
      OtelSpanReader.install(reader);
    }
    return reader;
  }
}
