package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedis;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generated command table inside the built agent jar: commands the hand-made table did not
 * know get their key, sanitized text, found and stored procedure name, in a forked JVM against a
 * real redis-server.
 */
class CommandTableIT {

  @Test
  void shouldShowTheKeysOfCommandsTheOldTableDidNotKnow() throws Exception {
    try (TestRedis redis = TestRedis.start()) {
      String classPath = TestPrograms.compile("command-table", TestPrograms.jedisClassPath("5.2.0"), "CommandTableProgram.java");
      Path dir = BuildPaths.IT_WORK.resolve("command-table");
      Path spansFile = ExportedSpans.freshFile(dir);

      ForkedJvm.Result run = ForkedJvm.program(classPath, "CommandTableProgram", redis.host, String.valueOf(redis.port))
          .withAgent().everySpan().tracesTo(spansFile).run(dir);

      assertThat(run.exitCode).as("%s", run).isZero();
      ExportedSpans exported = ExportedSpans.read(spansFile);
      Span blpop = one(exported, "BLPOP");
      assertThat(blpop.attributes).containsEntry("memory.key", "queue:empty")
          .containsEntry("db.query.text", "BLPOP queue:empty ?").containsEntry("memory.found", false);
      Span sort = one(exported, "SORT");
      assertThat(sort.attributes).containsEntry("memory.key", "list:ids");
      assertThat((String) sort.attributes.get("db.query.text")).endsWith("DESC STORE list:top");
      Span evalsha = one(exported, "EVALSHA");
      assertThat(evalsha.attributes).containsEntry("memory.key", "user:1")
          .containsEntry("db.query.text", "EVALSHA ? ? user:1")
          .hasEntrySatisfying("db.stored_procedure.name", sha -> assertThat((String) sha).matches("[0-9a-f]{40}"));
      assertThat(one(exported, "ZPOPMAX").attributes).containsEntry("memory.key", "board:daily")
          .containsEntry("memory.found", true);
      assertThat(one(exported, "SDIFF").attributes).containsEntry("db.query.text", "SDIFF tags:a tags:b");
      assertThat(one(exported, "GEOSEARCH").attributes).containsEntry("memory.key", "geo:shops");
      assertThat(one(exported, "SETBIT").attributes).containsEntry("db.query.text", "SETBIT flags:7 ? ?");
      assertThat(one(exported, "OBJECT").attributes).containsEntry("db.query.text", "OBJECT ENCODING user:1");
      assertThat(exported.spans.toString()).as("values never exported by default").doesNotContain("Ada Lovelace");
    }
  }

  private static Span one(ExportedSpans exported, String name) {
    List<Span> found = exported.where(s -> s.name.equals(name));
    assertThat(found).as("one %s span in %s", name, exported.spans).hasSize(1);
    return found.get(0);
  }
}
