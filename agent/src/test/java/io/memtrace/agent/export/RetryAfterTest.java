package io.memtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading {@code Retry-After} values in each form, and ignoring what is neither. */
class RetryAfterTest {

  /** 1994-11-06T08:49:27Z: ten seconds before the date of RFC 9110's examples. */
  private static final long NOW = Instant.parse("1994-11-06T08:49:27Z").toEpochMilli();

  @Test
  void shouldReadDeltaSecondsAsMilliseconds() {
    assertThat(RetryAfter.millis("2", NOW)).isEqualTo(2000);
    assertThat(RetryAfter.millis("0", NOW)).isZero();
    assertThat(RetryAfter.millis(" 30 ", NOW)).isEqualTo(30_000);
    assertThat(RetryAfter.millis("0120", NOW)).isEqualTo(120_000);
  }

  @Test
  void shouldSaturateDeltaSecondsTooLongToCount() {
    assertThat(RetryAfter.millis("99999999999999999999999", NOW)).isEqualTo(Long.MAX_VALUE);
    assertThat(RetryAfter.millis("999999999999", NOW)).isEqualTo(999_999_999_999_000L);
  }

  @Test
  void shouldReadAnImfFixdateAsTheTimeUntilIt() {
    assertThat(RetryAfter.millis("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).isEqualTo(10_000);
    assertThat(RetryAfter.millis("Sun, 06 Nov 1994 08:49:37 GMT", NOW + 250)).isEqualTo(9_750);
    assertThat(RetryAfter.millis("Sun, 6 Nov 1994 08:49:37 GMT", NOW)).as("as RFC_1123_DATE_TIME writes it")
        .isEqualTo(10_000);
  }

  @Test
  void shouldReadTheObsoleteRfc850DateWithItsTwoDigitYearInThePast() {
    // "94" read as 2094 would be 100 years away; more than 50 years ahead means the century before
    assertThat(RetryAfter.millis("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).isEqualTo(10_000);
    long now2026 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    assertThat(RetryAfter.millis("Thursday, 01-Jan-26 00:00:05 GMT", now2026)).isEqualTo(5_000);
  }

  @Test
  void shouldReadTheAsctimeDateWithASpacePaddedDay() {
    assertThat(RetryAfter.millis("Sun Nov  6 08:49:37 1994", NOW)).isEqualTo(10_000);
    assertThat(RetryAfter.millis("Wed Nov 16 08:49:37 1994", NOW)).isEqualTo(10L * 24 * 3600 * 1000 + 10_000);
  }

  @Test
  void shouldWaitNothingForADateInThePast() {
    assertThat(RetryAfter.millis("Sun, 06 Nov 1994 08:49:17 GMT", NOW)).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "-5", "+5", "2.5", "2s", "soon", "0x10", "1 2",
      "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 06 Nov 1994 08:49:37", "Sun, 31 Nov 1994 08:49:37 GMT",
      "Sun, 06 nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "06 Nov 1994 08:49:37 GMT",
      "Sunday, 06-Nov-1994 08:49:37 GMT", "Sun Nov 6 08:49:37 1994", "1994-11-06T08:49:37Z"})
  void shouldIgnoreWhatIsNeitherForm(String value) {
    assertThat(RetryAfter.millis(value, NOW)).as("'%s'", value).isEqualTo(RetryAfter.NONE);
  }

  @Test
  void shouldIgnoreAMissingHeader() {
    assertThat(RetryAfter.millis(null, NOW)).isEqualTo(RetryAfter.NONE);
  }
}
