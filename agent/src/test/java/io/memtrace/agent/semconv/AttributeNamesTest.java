package io.memtrace.agent.semconv;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AttributeNamesTest {

  /** A constant attribute key, or a quoted name in one of the namespaces memtrace writes. */
  private static final Pattern DECLARATION = Pattern.compile(
      "AttributeKey\\.\\w+Key\\(\"|\"(memory|db|server|error|exception|agent|gen_ai)\\.[a-z_.]+\"");
  /** Metric names share the namespaces; they are declared where the instruments are built. */
  private static final Pattern METRIC = Pattern.compile("(histogram|counter|gauge|upDownCounter)Builder\\(");

  @Test
  void shouldBeTheOnlyPlaceThatSpellsAnAttributeName() throws IOException {
    Path sources = Paths.get("src/main/java/io/memtrace/agent");
    List<String> elsewhere = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        if (file.getParent().endsWith("semconv")) {
          continue;
        }
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = DECLARATION.matcher(lines.get(i));
          if (m.find() && !METRIC.matcher(lines.get(i)).find()) {
            elsewhere.add(sources.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
          }
        }
      }
    }
    assertThat(elsewhere).as("attribute names spelled outside AttributeNames").isEmpty();
  }

  @Test
  void shouldDeclareEachNameOnce() throws IllegalAccessException {
    Set<String> names = new HashSet<>();
    for (Field field : AttributeNames.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == AttributeKey.class) {
        String name = ((AttributeKey<?>) field.get(null)).getKey();
        assertThat(names.add(name)).as("%s declared twice", name).isTrue();
      }
    }
    assertThat(names).contains("memory.key", "db.query.text", "db.operation.batch.size");
  }
}
