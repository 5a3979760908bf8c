package io.memtrace.collector.mcp;

import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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
    int port = Ports.free();
    List<String> args = new ArrayList<>(List.of("serve"));
    args.addAll(List.of(source));
    args.addAll(List.of("--port", Integer.toString(port), "--grpc-port", "off"));
    ForkedJvm launch = cli(args.toArray(new String[0])).env("MEMTRACE_API_TOKEN", TOKEN);
    env.forEach(launch::env);
    ForkedJvm.Running running = launch.start(work);
    URI url = URI.create("http://127.0.0.1:" + port);
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(url.resolve("/api/status"))
            .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        if (status.statusCode() == 200) {
          return new Serve(running, url);
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      if (!running.process.isAlive() || System.nanoTime() > deadline) {
        running.stop();
        throw new AssertionError("serve did not start: " + running.result());
      }
      Thread.sleep(200);
    }
  }
}
