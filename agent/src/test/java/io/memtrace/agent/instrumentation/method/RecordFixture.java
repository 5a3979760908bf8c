package io.memtrace.agent.instrumentation.method;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A real record class. The tests compile for Java 11, which has no records, so the record is
 * compiled from source when the tests run on a JDK that has them, and the test is skipped otherwise.
 */
final class RecordFixture {

  static final String SOURCE = String.join("\n",
      "package fixture;",
      "public record Memo(String id, int tokens, java.util.List<String> tags) {",
      "  public static void save(Memo memo) {}",
      "  public String describe() { return id + \"#\" + tokens; }",
      "}");

  private RecordFixture() {
  }

  /** Compiles and loads {@code fixture.Memo} into {@code dir}; skips the calling test without records. */
  static Class<?> memo(Path dir) throws IOException, ClassNotFoundException {
    assumeTrue(Runtime.version().feature() >= 16, "records need Java 16 or later");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assumeTrue(javac != null, "needs a JDK with a Java compiler");
    Path source = dir.resolve("fixture/Memo.java");
    Files.createDirectories(source.getParent());
    Files.write(source, SOURCE.getBytes(StandardCharsets.UTF_8));
    int status = javac.run(null, null, null, "-d", dir.toString(), source.toString());
    if (status != 0) {
      throw new AssertionError("javac failed on the record fixture");
    }
    URLClassLoader loader = new URLClassLoader(new java.net.URL[] {dir.toUri().toURL()},
        RecordFixture.class.getClassLoader());
    return Class.forName("fixture.Memo", true, loader);
  }

  static Object newMemo(Class<?> memo, String id, int tokens, java.util.List<String> tags) throws Exception {
    return memo.getConstructor(String.class, int.class, java.util.List.class).newInstance(id, tokens, tags);
  }
}
