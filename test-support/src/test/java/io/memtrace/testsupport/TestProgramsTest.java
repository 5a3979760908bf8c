package io.memtrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program is compiled once for the same inputs: asked again it runs the classes there, and asked with another
 * source text or release, or once a jar of its class path changed, it is compiled again.
 */
class TestProgramsTest {

  /** A time no javac run writes: a class file that still has it was not written again. */
  private static final FileTime LONG_AGO = FileTime.fromMillis(0);

  @TempDir
  Path dir;

  @Test
  void shouldCompileAProgramOnceForTheSameInputsAndAgainWhenOneChanges() throws Exception {
    Path source = dir.resolve("Hello.java");
    Files.writeString(source, "public class Hello { public static void main(String[] a) { System.out.print(1); } }");
    Path jar = dir.resolve("lib.jar");
    writeJar(jar, "first");
    Path out = dir.resolve("classes");
    Path compiled = out.resolve("Hello.class");

    String classPath = TestPrograms.compileInto(out, "11", jar.toString(), source);
    assertThat(classPath).isEqualTo(out + File.pathSeparator + jar);
    assertThat(compiled).isRegularFile();

    Files.setLastModifiedTime(compiled, LONG_AGO);
    assertThat(TestPrograms.compileInto(out, "11", jar.toString(), source)).isEqualTo(classPath);
    assertThat(Files.getLastModifiedTime(compiled)).as("the same inputs: not compiled again").isEqualTo(LONG_AGO);

    TestPrograms.compileInto(out, "17", jar.toString(), source);
    assertThat(Files.getLastModifiedTime(compiled)).as("another release").isNotEqualTo(LONG_AGO);

    Files.setLastModifiedTime(compiled, LONG_AGO);
    writeJar(jar, "a jar rebuilt, with another size");
    TestPrograms.compileInto(out, "17", jar.toString(), source);
    assertThat(Files.getLastModifiedTime(compiled)).as("a jar of the class path changed").isNotEqualTo(LONG_AGO);

    Files.setLastModifiedTime(compiled, LONG_AGO);
    Files.writeString(source, "public class Hello { public static void main(String[] a) { System.out.print(2); } }");
    TestPrograms.compileInto(out, "17", jar.toString(), source);
    assertThat(Files.getLastModifiedTime(compiled)).as("another source text").isNotEqualTo(LONG_AGO);
  }

  /** A jar of one text entry holding {@code text}. */
  private static void writeJar(Path jar, String text) throws Exception {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("note.txt"));
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
  }
}
