package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * Test programs that use one Redis client and nothing else, compiled at test time against the client the build
 * copied ({@code target/it-libs/CLIENT}).
 */
final class JedisPrograms {

  private JedisPrograms() {
  }

  /** Compiles {@code source} against Jedis into {@code dir/classes}; the class path to run it with. */
  static String compile(Path dir, Path source) throws Exception {
    return compile(dir, source, "jedis");
  }

  /** Compiles {@code source} against the jars of {@code it-libs/client} into {@code dir/classes}; the class path. */
  static String compile(Path dir, Path source, String client) throws Exception {
    List<Path> jars;
    try (Stream<Path> files = Files.list(EndToEndIT.LIBS.resolve(client))) {
      jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
    }
    String libs = jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", libs, "--release", "11", "-nowarn",
        source.toString()));
    assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, System.err, args.toArray(new String[0])))
        .as("javac %s", source.getFileName()).isZero();
    return classes + File.pathSeparator + libs;
  }
}
