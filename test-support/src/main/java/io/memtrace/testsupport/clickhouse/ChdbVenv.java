package io.memtrace.testsupport.clickhouse;

import io.memtrace.testsupport.PythonVenv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The Python environment the chDB front runs in: a venv with chDB and the compression libraries at the versions below,
 * made once per machine under the memtrace cache root ({@code chdb-venv/<KEY>}) by {@link PythonVenv}, so the 181 MB
 * chdb-core wheel is fetched once, not once per build.
 */
public final class ChdbVenv {

  /** What the front imports, pinned; changing one changes {@link #KEY} and so makes a new venv. */
  static final List<String> REQUIREMENTS = List.of(
      "chdb==4.4.0", "chdb-core==26.9.0", "lz4==4.4.5", "zstandard==0.25.0", "clickhouse-cityhash==1.0.2.6");
  static final String KEY = "chdb-4.4.0-core-26.9.0-r1";

  private ChdbVenv() {
  }

  /** The venv's python, made first if this machine has none yet. */
  public static Path python() throws IOException, InterruptedException {
    return PythonVenv.python("chdb-venv", KEY, REQUIREMENTS);
  }
}
