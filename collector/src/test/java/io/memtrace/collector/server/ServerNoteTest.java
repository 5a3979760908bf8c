package io.memtrace.collector.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.memtrace.collector.Cli;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A planted {@code collector.json} sends no query, and no token, anywhere. */
class ServerNoteTest {

  @TempDir
  Path dir;
  HttpServer decoy;
  final AtomicInteger asked = new AtomicInteger();

  @BeforeEach
  void startDecoy() throws Exception {
    decoy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    decoy.createContext("/", exchange -> {
      asked.incrementAndGet();
      byte[] body = "{\"status\":\"ok\",\"instance\":\"planted\",\"columns\":[],\"rows\":[]}".getBytes();
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    decoy.start();
  }

  @AfterEach
  void stopDecoy() {
    decoy.stop(0);
  }

  @Test
  void shouldReadTheStoreItselfWhenTheNoteNamesALiveProcessThatIsNotServe() throws Exception {
    TestStores.fill(dir, SpanFixtures.seedTrace());
    plant(ProcessHandle.current().pid(), URI.create("http://127.0.0.1:" + decoy.getAddress().getPort()));

    Cli result = Cli.run("query", "--data", dir.toString(), "--format", "csv", "SELECT count(*) AS n FROM spans");

    assertThat(result.out).as("%s", result).isEqualTo("n\n12\n");
    assertThat(asked).as("requests to the URL in the planted note").hasValue(0);
    assertThat(ServerNote.read(new StoreFiles(dir)).orElseThrow().ignored())
        .contains("is not a memtrace serve on " + dir.toAbsolutePath().normalize());
  }

  @Test
  void shouldNotTrustANoteOfPidOneOrOfAnotherMachine() throws Exception {
    plant(1, URI.create("http://127.0.0.1:" + decoy.getAddress().getPort()));
    assertThat(ServerNote.read(new StoreFiles(dir)).orElseThrow().trusted()).isFalse();
    plant(ProcessHandle.current().pid(), URI.create("http://203.0.113.7:4318"));
    assertThat(ServerNote.read(new StoreFiles(dir)).orElseThrow().ignored()).contains("not an address of this machine");
    plant(ProcessHandle.current().pid(), URI.create("http://collector.example:4318"));
    assertThat(ServerNote.read(new StoreFiles(dir)).orElseThrow().trusted()).isFalse();

    Cli result = Cli.run("query", "--data", dir.toString(), "SELECT 1");
    assertThat(result.err).contains("no span store at");
    assertThat(asked).hasValue(0);
  }

  private void plant(long pid, URI url) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("collector.json"),
        "{\"pid\": " + pid + ", \"url\": \"" + url + "\", \"instance\": \"planted\"}");
  }
}
