package io.memtrace.agent.export;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;

/**
 * Reads a {@code Retry-After} header value (RFC 9110, 10.2.3) as a wait in milliseconds: either
 * delta-seconds ({@code "120"}) or an HTTP-date in any of its three forms, IMF-fixdate
 * ({@code "Sun, 06 Nov 1994 08:49:37 GMT"}), the obsolete RFC 850 form
 * ({@code "Sunday, 06-Nov-94 08:49:37 GMT"}) and asctime ({@code "Sun Nov  6 08:49:37 1994"}), which
 * a recipient must all accept. What the value means for a retry is {@link OtlpHttpSender}'s affair.
 */
final class RetryAfter {

  /** No header, or one that could not be read: the caller backs off as if there were none. */
  static final long NONE = -1;
  /** More digits than this is still a valid delay, just an absurd one: it saturates, never overflows. */
  private static final int MAX_DIGITS = 12;

  // The weekday is cut off before these parse (see date): an RFC 850 date is read with a century
  // that is settled only afterwards, and its weekday would not match the provisional one.
  // One-digit days too: Java's RFC_1123_DATE_TIME writes them, and the date is no less clear.
  private static final DateTimeFormatter IMF_FIXDATE = pattern("d MMM uuuu HH:mm:ss 'GMT'");
  private static final DateTimeFormatter RFC_850 = pattern("dd-MMM-uu HH:mm:ss 'GMT'");
  private static final DateTimeFormatter ASCTIME = pattern("MMM ppd HH:mm:ss uuuu");

  private RetryAfter() {
  }

  private static DateTimeFormatter pattern(String pattern) {
    return DateTimeFormatter.ofPattern(pattern, Locale.US).withResolverStyle(ResolverStyle.STRICT);
  }

  /**
   * The wait {@code value} asks for, in milliseconds from {@code nowMillis} (epoch): never negative
   * (a date in the past is 0), {@link Long#MAX_VALUE} for delta-seconds too long to count, and
   * {@link #NONE} when {@code value} is {@code null} or neither form.
   */
  static long millis(String value, long nowMillis) {
    if (value == null) {
      return NONE;
    }
    String text = value.trim();
    if (text.isEmpty()) {
      return NONE;
    }
    if (Character.isDigit(text.charAt(0))) {
      return deltaSeconds(text);
    }
    LocalDateTime at = date(text, nowMillis);
    return at == null ? NONE : Math.max(0, at.toInstant(ZoneOffset.UTC).toEpochMilli() - nowMillis);
  }

  /** Digits only: no sign, no fraction, no unit. */
  private static long deltaSeconds(String text) {
    long seconds = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return NONE;
      }
      seconds = seconds * 10 + (c - '0');
    }
    return text.length() > MAX_DIGITS ? Long.MAX_VALUE : seconds * 1000;
  }

  /** The date in UTC (HTTP-dates are always GMT), or {@code null}. */
  private static LocalDateTime date(String text, long nowMillis) {
    int comma = text.indexOf(", ");
    int space = text.indexOf(' ');
    try {
      if (comma > 0 && isWeekday(text, comma)) {
        String rest = text.substring(comma + 2);
        if (rest.indexOf('-') < 0) {
          return LocalDateTime.parse(rest, IMF_FIXDATE);
        }
        LocalDateTime at = LocalDateTime.parse(rest, RFC_850);
        // a two-digit year more than 50 years ahead is the latest past year ending so (RFC 9110, 5.6.7)
        int nowYear = LocalDateTime.ofEpochSecond(nowMillis / 1000, 0, ZoneOffset.UTC).getYear();
        return at.getYear() > nowYear + 50 ? at.minusYears(100) : at;
      }
      if (space > 0 && isWeekday(text, space)) {
        return LocalDateTime.parse(text.substring(space + 1), ASCTIME);
      }
    } catch (DateTimeParseException e) {
      return null;
    }
    return null;
  }

  /** Whether {@code text[0..end)} is a day name, short or long; which day is not checked. */
  private static boolean isWeekday(String text, int end) {
    if (end < 3) {
      return false;
    }
    for (int i = 0; i < end; i++) {
      if (!Character.isLetter(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
