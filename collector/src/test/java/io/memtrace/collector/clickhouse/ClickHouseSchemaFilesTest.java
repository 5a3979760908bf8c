package io.memtrace.collector.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.Cli;
import io.memtrace.common.GeneratedPage;
import io.memtrace.testsupport.BuildPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/clickhouse/schema.sql is what {@code clickhouse schema} prints without options, for teams that apply schema by
 * hand: a change to a table without the file following fails here. Run with {@code -Dmemtrace.docs.update=true} to
 * rewrite it. Every other shape (a cluster, a TTL, lineage kept at insert, a namespace rule) is printed by the same
 * command with the options {@code clickhouse init} takes, and is exactly the statements init runs.
 */
class ClickHouseSchemaFilesTest {

  static final String REGENERATE = "mvn -pl collector -am test -Dtest=ClickHouseSchemaFilesTest "
      + "-Dsurefire.failIfNoSpecifiedTests=false -Dmemtrace.docs.update=true";

  @Test
  void shouldFindTheSchemaFileAsTheCommandPrintsIt() throws IOException {
    Cli cli = Cli.run("clickhouse", "schema");
    assertThat(cli.exitCode).as(cli.toString()).isZero();

    GeneratedPage file = new GeneratedPage(BuildPaths.ROOT, "deploy/clickhouse/schema.sql", cli.out, REGENERATE);
    assertThat(file.check()).isEmpty();
    assertThat(cli.out).isEqualTo(ClickHouseSchema.script(new SchemaOptions("otel", null, 0)));
  }

  @Test
  void shouldPrintTheClusterSchemaThatInitRuns() {
    String script = printsWhatInitRuns(new SchemaOptions("fleet", "memtrace", 30), "--database", "fleet", "--cluster",
        "memtrace", "--ttl", "30");

    // the header names the command that prints this file again
    assertThat(script).contains("\n-- Printed by `java -jar memtrace-collector.jar clickhouse schema --database fleet "
        + "--cluster memtrace --ttl 30`;");
    assertThat(script).contains("CREATE TABLE IF NOT EXISTS \"fleet\".\"otel_traces_local\" ON CLUSTER 'memtrace'");
  }

  @Test
  void shouldPrintTheSchemaWithLineageAtInsertThatInitRuns() {
    String script = printsWhatInitRuns(new SchemaOptions("otel", null, 0, true), "--lineage-at-insert");

    assertThat(script).contains("CREATE TABLE IF NOT EXISTS \"otel\".\"memtrace_lineage\"");
  }

  @Test
  void shouldPrintTheViewsWithTheConfiguredNamespaceRule(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve("memtrace.yaml"), "redis:\n  namespace-from-key: '^([^:]+):'\n");

    printsWhatInitRuns(new SchemaOptions("otel", null, 0, false, "^([^:]+):"), "--config", config.toString());
  }

  @Test
  void shouldRefuseADatabaseThatIsNotAPlainName() {
    Cli cli = Cli.run("clickhouse", "schema", "--database", "otel\"; DROP TABLE x");

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(1);
    assertThat(cli.out).isEmpty();
    assertThat(cli.err.strip()).doesNotContain("\n").startsWith("error: --database otel\"; DROP TABLE x: not a plain name");
  }

  /** What {@code clickhouse schema ARGS} prints: checked to be every statement init runs for {@code options}. */
  private static String printsWhatInitRuns(SchemaOptions options, String... args) {
    String[] command = new String[args.length + 2];
    command[0] = "clickhouse";
    command[1] = "schema";
    System.arraycopy(args, 0, command, 2, args.length);
    Cli cli = Cli.run(command);

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(cli.out).isEqualTo(ClickHouseSchema.script(options));
    for (String statement : ClickHouseSchema.statements(options)) {
      assertThat(cli.out).contains("\n" + statement + ";\n");
    }
    return cli.out;
  }
}
