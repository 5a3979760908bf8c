package io.memtrace.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The Python environment of the reference MCP client (the {@code mcp} package from PyPI), which the collector's MCP
 * tests run as a real client of both transports: made once per machine under the memtrace cache root
 * ({@code mcp-venv/<KEY>}) by {@link PythonVenv}.
 */
public final class McpVenv {

  /** The reference SDK, pinned; changing it changes {@link #KEY} and so makes a new venv. */
  static final List<String> REQUIREMENTS = List.of("mcp==2.3.0");
  static final String KEY = "mcp-2.3.0-r1";

  private McpVenv() {
  }

  /** The venv's python, made first if this machine has none yet. */
  public static Path python() throws IOException, InterruptedException {
    return PythonVenv.python("mcp-venv", KEY, REQUIREMENTS);
  }
}
