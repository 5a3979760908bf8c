package io.memtrace.collector.lineage;

import java.util.Map;

/** Not a test: {@link CommandAccess#forKeyEvents} for the lab {@code LabDecodeCost}, outside this package. */
public final class LabCommandAccess {

  private LabCommandAccess() {
  }

  public static Map<String, String> forKeyEvents() {
    return CommandAccess.forKeyEvents();
  }
}
