package io.memtrace.collector.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.common.GeneratedPage;
import java.io.IOException;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * deploy/clickhouse/schema.sql and schema-cluster.sql are the generator's DDL written out, for teams that apply schema
 * by hand: a change to a table without the files following fails here. Run with {@code -Dmemtrace.docs.update=true}
 * to rewrite them.
 */
class ClickHouseSchemaFilesTest {

  static final String REGENERATE = "mvn -pl collector -am test -Dtest=ClickHouseSchemaFilesTest "
      + "-Dsurefire.failIfNoSpecifiedTests=false -Dmemtrace.docs.update=true";
  /** The database the files name, the one the deployment's exporter writes to. */
  static final String DATABASE = "otel";

  @Test
  void shouldFindTheSingleServerSchemaAsGenerated() throws IOException {
    assertThat(file("deploy/clickhouse/schema.sql", new SchemaOptions(DATABASE, null, 0)).check()).isEmpty();
  }

  @Test
  void shouldFindTheClusterSchemaAsGenerated() throws IOException {
    assertThat(file("deploy/clickhouse/schema-cluster.sql", new SchemaOptions(DATABASE, "memtrace", 30)).check())
        .isEmpty();
  }

  @Test
  void shouldFindTheSchemaWithLineageAtInsertAsGenerated() throws IOException {
    assertThat(file("deploy/clickhouse/schema-lineage.sql", new SchemaOptions(DATABASE, null, 0, true)).check())
        .isEmpty();
  }

  private static GeneratedPage file(String path, SchemaOptions options) {
    return new GeneratedPage(Paths.get(System.getProperty("memtrace.repo.root", "..")), path,
        ClickHouseSchema.script(options), REGENERATE);
  }
}
