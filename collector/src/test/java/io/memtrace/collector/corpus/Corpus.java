package io.memtrace.collector.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The malformed-input corpus: payloads in {@code src/test/resources/corpus/}, one file each, and
 * {@code index.tsv}, which says how each is sent and what must come of it. {@code CorpusIT} runs
 * them all through a real {@code serve}. The files are made by {@link CorpusFiles}; regenerate
 * with {@code java -cp target/test-classes:target/memtrace-collector.jar
 * io.memtrace.collector.corpus.CorpusFiles src/test/resources/corpus} from {@code collector/}.
 */
public final class Corpus {

  public static final String INDEX = "index.tsv";

  /**
   * One payload.
   *
   * @param file under the corpus directory
   * @param path {@code /v1/traces} or {@code /v1/metrics}
   * @param contentType as sent
   * @param encoding Content-Encoding, or "-"
   * @param status the answer's HTTP status
   * @param answer text the answer must contain
   * @param check SQL whose one value must be true afterwards, or "-"; {@code {trace}} is the entry's trace id
   * @param trace the entry's trace id
   */
  public record Entry(String file, String path, String contentType, String encoding, int status, String answer,
      String check, String trace) {

    String line() {
      return String.join("\t", file, path, contentType, encoding, String.valueOf(status), answer, check, trace);
    }

    static Entry parse(String line) {
      String[] f = line.split("\t", -1);
      return new Entry(f[0], f[1], f[2], f[3], Integer.parseInt(f[4]), f[5], f[6], f[7]);
    }

    @Override
    public String toString() {
      return file;
    }
  }

  private Corpus() {
  }

  public static List<Entry> read(Path dir) throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve(INDEX), StandardCharsets.UTF_8)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        entries.add(Entry.parse(line));
      }
    }
    return entries;
  }
}
