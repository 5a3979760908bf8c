package io.memtrace.collector.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.CollectorException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClickHouseUrlTest {

  @Test
  void shouldTakeTheDatabaseFromThePathAndCredentialsFromTheEnvironment() {
    ClickHouseUrl url = ClickHouseUrl.parse("http://ch.internal:8123/otel",
        Map.of(ClickHouseUrl.USER_ENV, "memtrace", ClickHouseUrl.PASSWORD_ENV, "s3cret"));

    assertThat(url.endpoint()).isEqualTo("http://ch.internal:8123");
    assertThat(url.database()).isEqualTo("otel");
    assertThat(url.user()).isEqualTo("memtrace");
    assertThat(url.password()).isEqualTo("s3cret");
    assertThat(url.toString()).doesNotContain("s3cret");
  }

  @Test
  void shouldDefaultThePortAndTheUserAsClickhouseDoes() {
    assertThat(ClickHouseUrl.parse("http://localhost/otel/", Map.of()))
        .extracting(ClickHouseUrl::endpoint, ClickHouseUrl::user, ClickHouseUrl::password)
        .containsExactly("http://localhost:8123", "default", "");
    assertThat(ClickHouseUrl.parse("https://localhost/otel", Map.of()).endpoint()).isEqualTo("https://localhost:8443");
  }

  @Test
  void shouldRefuseABadUrlWithOneLineNamingTheProblem() {
    assertRefused("localhost:8123/otel", "starts with http:// or https://");
    assertRefused("clickhouse://localhost:9000/otel", "starts with http:// or https://");
    assertRefused("http://localhost:8123", "names no database");
    assertRefused("http://localhost:8123/", "names no database");
    assertRefused("http://localhost:8123/otel.traces", "not a plain name");
    assertRefused("http://u:p@localhost:8123/otel", "MEMTRACE_CLICKHOUSE_USER");
    assertRefused("http://localhost:8123/otel?user=x", "no query");
    assertRefused("http://local host/otel", "not a URL");
  }

  private static void assertRefused(String url, String why) {
    assertThatThrownBy(() -> ClickHouseUrl.parse(url, Map.of()))
        .isInstanceOf(CollectorException.class)
        .hasMessageContaining(why)
        .hasMessageContaining("http://HOST:8123/DATABASE")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
