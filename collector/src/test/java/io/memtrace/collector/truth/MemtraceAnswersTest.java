package io.memtrace.collector.truth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How the suite reads an {@code /api/query} answer: rows, or no answer at all, never an error taken for no rows. */
class MemtraceAnswersTest {

  private static final String SQL = "SELECT read_span_id FROM lineage";

  @Test
  void shouldReadTheRowsOfAnAnswer() throws Exception {
    assertThat(MemtraceAnswers.checked(SQL, 200, "{\"columns\":[{\"name\":\"read_span_id\",\"type\":\"VARCHAR\"}],"
        + "\"rows\":[[\"af4281a0a32b2458\"]],\"truncated\":false}").path("rows").size()).isEqualTo(1);
  }

  /**
   * The body serve sends when its query timeout stops a question after the 200 header went out (a running serve with
   * {@code --query-timeout 1500ms} asked the view of a stored truth-suite run, 2026-12-02): read for rows, it has none.
   */
  @Test
  void shouldFailOnAnErrorAfterTheHeader() {
    String stopped = "      {\"error\":\"query stopped: it ran longer than the query timeout of 30 s\"}";
    assertThatThrownBy(() -> MemtraceAnswers.checked(SQL, 200, stopped)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("query stopped: it ran longer than the query timeout of 30 s");
  }

  @Test
  void shouldFailOnACutAnswer() {
    assertThatThrownBy(() -> MemtraceAnswers.checked(SQL, 200, "{\"columns\":[],\"rows\":[],\"truncated\":true,"
        + "\"truncation\":\"the first 0 rows\"}")).isInstanceOf(AssertionError.class).hasMessageContaining("cut");
  }

  @Test
  void shouldFailOnAnErrorStatus() {
    assertThatThrownBy(() -> MemtraceAnswers.checked(SQL, 503, "{\"error\":\"the store is not available\"}"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("503");
  }
}
