package io.memtrace.collector.snapshots;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a snapshot file says of itself, read without holding its keys (they are skipped token by token): for the
 * listing of the kept snapshots.
 *
 * @param keys       keys it holds; -1 when the file does not say
 * @param skipped    keys it left out over its ceilings
 * @param namespaces the namespace globs it covers; empty for every key
 * @param finished   when it had read its last key, as written; null when the file does not say
 */
public record SnapshotSummary(long keys, long skipped, List<String> namespaces, String finished) {

  public static SnapshotSummary read(Path file) throws IOException {
    long keys = -1;
    long skipped = 0;
    List<String> namespaces = new ArrayList<>();
    String finished = null;
    try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException(file + " is not a snapshot");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "count" -> keys = p.getLongValue();
          case "skipped" -> skipped = p.getLongValue();
          case "finished" -> finished = p.getText();
          case "namespaces" -> {
            while (p.nextToken() == JsonToken.VALUE_STRING) {
              namespaces.add(p.getText());
            }
          }
          default -> {
            if (value == JsonToken.START_ARRAY || value == JsonToken.START_OBJECT) {
              p.skipChildren();
            }
          }
        }
      }
    }
    return new SnapshotSummary(keys, skipped, namespaces, finished);
  }
}
