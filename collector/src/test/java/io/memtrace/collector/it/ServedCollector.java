package io.memtrace.collector.it;

import io.memtrace.testsupport.BuildPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@code serve} process an IT class shares: started before its first test on the data directory of a fresh folder
 * under the IT work directory, closed after its last. Register it with {@code @RegisterExtension} on a static field.
 */
final class ServedCollector implements BeforeAllCallback, AfterAllCallback {

  private final String name;
  private final Function<Path, List<String>> options;
  private Path dir;
  private CollectorProcess process;

  /** @param options serve's options besides its port and data, given the class's folder (for the files it writes) */
  ServedCollector(String name, Function<Path, List<String>> options) {
    this.name = name;
    this.options = options;
  }

  ServedCollector(String name, String... options) {
    this(name, dir -> List.of(options));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createDirectories(BuildPaths.IT_WORK.resolve(name + "-" + System.nanoTime()));
    process = start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (process != null) {
      process.close();
    }
  }

  /** The class's folder, which holds serve's data directory ({@code data}) and whatever else the tests write. */
  Path dir() {
    return dir;
  }

  CollectorProcess process() {
    return process;
  }

  /** Stops serve, starts it again on the same data directory, and returns the exit code it stopped with. */
  int restart() throws Exception {
    int code = process.stop();
    process = start();
    return code;
  }

  private CollectorProcess start() throws Exception {
    return CollectorProcess.serve(dir.resolve("data"), options.apply(dir).toArray(new String[0]));
  }
}
