package io.memtrace.collector.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TypedAttributesTest {

  private static final Map<String, String> CASTS = Map.of(
      "memory.operation_duration_ms", "DOUBLE", "memory.namespace", "VARCHAR", "it's", "BIGINT");

  @Test
  void shouldCastALookupOfAKeyWithOneType() {
    assertThat(TypedAttributes.rewrite(
        "SELECT AVG(attributes['memory.operation_duration_ms']) FROM spans GROUP BY attributes['memory.namespace']", CASTS))
        .isEqualTo("SELECT AVG(TRY_CAST(attributes['memory.operation_duration_ms'] AS DOUBLE)) FROM spans "
            + "GROUP BY TRY_CAST(attributes['memory.namespace'] AS VARCHAR)");
  }

  @Test
  void shouldWriteEachCastInAnotherStoresDialectWhenAsked() {
    assertThat(TypedAttributes.rewrite("SELECT AVG(attributes['memory.operation_duration_ms']), 'attributes[x]' "
        + "FROM spans", CASTS, (lookup, type) -> "accurateCastOrNull(" + lookup + ", '" + type + "')"))
        .isEqualTo("SELECT AVG(accurateCastOrNull(attributes['memory.operation_duration_ms'], 'DOUBLE')), "
            + "'attributes[x]' FROM spans");
  }

  private static final Map<String, String> EXACT = Map.of("memory.operation_duration_ms", "memory_operation_duration_ms",
      "memory.key", "memory_key");

  @Test
  void shouldReadTheStoresExactColumnsInOneSelectKeepingTheQualifierAndCastingTheRest() {
    assertThat(TypedAttributes.rewrite("SELECT s.attributes['memory.key'], AVG(attributes['memory.operation_duration_ms']), "
        + "attributes['memory.namespace'], attributes['agent.id'] FROM spans s GROUP BY 1, 3, 4", CASTS,
        (lookup, type) -> "cast(" + lookup + ")", EXACT))
        .isEqualTo("SELECT s.memory_key, AVG(memory_operation_duration_ms), cast(attributes['memory.namespace']), "
            + "attributes['agent.id'] FROM spans s GROUP BY 1, 3, 4");
  }

  @Test
  void shouldCastRatherThanReadTheColumnsWhenTheQueryNamesOneOrIsNotOneSelect() {
    String aliased = "SELECT attributes['memory.namespace'] AS memory_key, attributes['memory.key'] FROM spans";
    assertThat(TypedAttributes.rewrite(aliased, CASTS, (lookup, type) -> "cast(" + lookup + ")", EXACT))
        .isEqualTo("SELECT cast(attributes['memory.namespace']) AS memory_key, attributes['memory.key'] FROM spans");
    String nested = "SELECT k FROM (SELECT attributes['memory.key'] AS k FROM spans)";
    assertThat(TypedAttributes.rewrite(nested, CASTS, (lookup, type) -> "cast(" + lookup + ")", EXACT))
        .isEqualTo(nested);
    assertThat(TypedAttributes.rewrite("SELECT attributes['memory.key'] FROM metrics, spans", CASTS,
        (lookup, type) -> "cast(" + lookup + ")", EXACT)).isEqualTo("SELECT attributes['memory.key'] FROM metrics, spans");
  }

  @Test
  void shouldCastQualifiedLookupsWhole() {
    assertThat(TypedAttributes.rewrite("SELECT s.attributes [ 'memory.namespace' ] FROM spans s", CASTS))
        .isEqualTo("SELECT TRY_CAST(s.attributes [ 'memory.namespace' ] AS VARCHAR) FROM spans s");
    assertThat(TypedAttributes.rewrite("SELECT main.spans.\"attributes\"['memory.namespace'] FROM main.spans", CASTS))
        .isEqualTo("SELECT TRY_CAST(main.spans.\"attributes\"['memory.namespace'] AS VARCHAR) FROM main.spans");
  }

  @Test
  void shouldReadTheKeyOfALiteralWithADoubledQuote() {
    assertThat(TypedAttributes.rewrite("SELECT attributes['it''s'] FROM spans", CASTS))
        .isEqualTo("SELECT TRY_CAST(attributes['it''s'] AS BIGINT) FROM spans");
  }

  @Test
  void shouldLeaveLiteralsCommentsAndQuotedTextAlone() {
    String sql = "SELECT 'attributes[''memory.namespace'']' AS text, \"attributes['memory.namespace']\" "
        + "FROM spans -- attributes['memory.namespace']\n/* attributes['memory.namespace'] */";
    assertThat(TypedAttributes.rewrite(sql, CASTS)).isEqualTo(sql);
  }

  @Test
  void shouldLeaveUnknownKeysNestedLookupsAndOtherColumnsAlone() {
    for (String sql : new String[] {
        "SELECT attributes['unknown'] FROM spans",
        "SELECT attributes['memory.namespace']['x'] FROM spans",
        "SELECT resource_attributes['memory.namespace'] FROM spans",
        "SELECT attributes[\"memory.namespace\"] FROM spans",
        "SELECT attributes[$$memory.namespace$$] FROM spans",
        "SELECT x.y.z.attributes['memory.namespace'] FROM spans"}) {
      assertThat(TypedAttributes.rewrite(sql, CASTS)).as(sql).isEqualTo(sql);
    }
  }

  @Test
  void shouldLeaveQueriesOfTheMetricsTableAlone() {
    String metrics = "SELECT attributes['memory.namespace'] FROM metrics";
    assertThat(TypedAttributes.rewrite(metrics, CASTS)).isEqualTo(metrics);
    String both = "SELECT m.attributes['memory.namespace'] FROM metrics m, spans s";
    assertThat(TypedAttributes.rewrite(both, CASTS)).isEqualTo(both);
    String none = "SELECT attributes['memory.namespace'] FROM (VALUES (1)) t(attributes)";
    assertThat(TypedAttributes.rewrite(none, CASTS)).isEqualTo(none);
  }

  @Test
  void shouldLeaveSqlItCannotTokenizeToDuckDb() {
    String broken = "SELECT attributes['memory.namespace'] FROM spans WHERE name = 'open";
    assertThat(TypedAttributes.rewrite(broken, CASTS)).isEqualTo(broken);
  }

  @Test
  void shouldReadTheTypedColumnWhenTheStoreKeepsTheKeyAsOneOfThatType() {
    assertThat(TypedAttributes.rewrite("SELECT s.attributes['memory.namespace'] AS ns, AVG(attributes['memory.operation_duration_ms']) "
        + "FROM spans s WHERE attributes['unknown'] IS NULL", CASTS, true))
        .isEqualTo("SELECT s.memory_namespace AS ns, AVG(memory_operation_duration_ms) FROM spans s WHERE attributes['unknown'] IS NULL");
    assertThat(TypedAttributes.rewrite("SELECT attributes['memory.operation_duration_ms'] AS d FROM spans ORDER BY d",
        Map.of("memory.operation_duration_ms", "BIGINT"), true))
        .as("integers kept as DOUBLE read back as integers")
        .isEqualTo("SELECT CAST(memory_operation_duration_ms AS BIGINT) AS d FROM spans ORDER BY d");
    assertThat(TypedAttributes.rewrite("SELECT attributes['memory.value_size'] FROM spans", Map.of("memory.value_size", "DOUBLE"), true))
        .as("a BIGINT column cannot hold the fractions of a key that also had doubles")
        .isEqualTo("SELECT TRY_CAST(attributes['memory.value_size'] AS DOUBLE) FROM spans");
  }

  @Test
  void shouldKeepTheCastInSubqueriesWhichMayNotPassTheColumnsOn() {
    for (String sql : new String[] {
        "SELECT attributes['memory.namespace'] FROM (SELECT attributes FROM spans)",
        "WITH a AS (SELECT attributes FROM spans) SELECT attributes['memory.namespace'] FROM a"}) {
      assertThat(TypedAttributes.rewrite(sql, CASTS, true)).as(sql).contains("TRY_CAST(attributes['memory.namespace'] AS VARCHAR)");
    }
  }
}
