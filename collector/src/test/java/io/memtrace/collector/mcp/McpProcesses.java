package io.memtrace.collector.mcp;

import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.ServeLauncher;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The collector's command line as real processes, from the classes under test: {@code mcp} on stdio for a client to
 * start, a command run to its end, and {@code serve} on a free port with a known API token.
 */
final class McpProcesses {

  static final String TOKEN = "mcp-test-token-0123456789abcdef";

  private McpProcesses() {
  }

  /** {@code java ... CollectorMain args}, on this JVM's class path. */
  static ForkedJvm cli(String... args) {
    return ForkedJvm.program(System.getProperty("java.class.path"), "io.memtrace.collector.cli.CollectorMain", args)
        .jvmArg("-Xmx256m");
  }

  /** The command line of {@code mcp args}, for a client that starts the server itself. */
  static List<String> mcpCommand(String... args) {
    List<String> all = new ArrayList<>(List.of("mcp"));
    all.addAll(List.of(args));
    return cli(all.toArray(new String[0])).command();
  }

  /** A running {@code serve} on {@code data}: its process and its URL. */
  record Serve(ForkedJvm.Running process, URI url) implements AutoCloseable {

    @Override
    public void close() throws Exception {
      process.stop();
    }
  }

  static Serve serve(Path data, Path work) throws Exception {
    return serve(work, Map.of(), "--data", data.toString());
  }

  /** {@code serve} with {@code source} (its store: {@code --data DIR}, or {@code --clickhouse URL} and a data dir). */
  static Serve serve(Path work, Map<String, String> env, String... source) throws Exception {
    ServeLauncher.Started started = ServeLauncher.start(port -> {
      List<String> args = new ArrayList<>(List.of("serve"));
      args.addAll(List.of(source));
      args.addAll(List.of("--port", Integer.toString(port), "--grpc-port", "off"));
      ForkedJvm launch = cli(args.toArray(new String[0])).env("MEMTRACE_API_TOKEN", TOKEN);
      env.forEach(launch::env);
      return launch;
    }, work, url -> ServeLauncher.get(url.resolve("/api/status"), TOKEN) == 200);
    return new Serve(started.running, started.url());
  }
}
