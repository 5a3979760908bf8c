package io.memtrace.collector.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebSessionsTest {

  @Test
  void shouldSpendTheSignInTokenOnce() {
    WebSessions sessions = new WebSessions(4318);
    String token = sessions.signInToken();
    assertThat(sessions.redeem("not-" + token)).isNull();
    String session = sessions.redeem(token);
    assertThat(session).isNotNull();
    assertThat(sessions.redeem(token)).as("a second use").isNull();
    assertThat(sessions.signInToken()).isNull();
    assertThat(sessions.valid("other=1; memtrace-session-4318=" + session)).isTrue();
  }

  @Test
  void shouldKnowOnlyItsOwnPortsLiveSessions() {
    WebSessions sessions = new WebSessions(4318);
    String session = sessions.start();
    assertThat(sessions.valid("memtrace-session-4319=" + session)).as("another collector's cookie name").isFalse();
    assertThat(sessions.valid("memtrace-session-4318=" + session + "x")).isFalse();
    assertThat(sessions.valid(null)).isFalse();
    sessions.end("memtrace-session-4318=" + session);
    assertThat(sessions.valid("memtrace-session-4318=" + session)).as("signed out").isFalse();
  }

  @Test
  void shouldKeepTheNewestSessionsWhenFull() {
    WebSessions sessions = new WebSessions(1);
    String first = sessions.start();
    String last = null;
    for (int i = 0; i < WebSessions.MAX_SESSIONS; i++) {
      last = sessions.start();
    }
    assertThat(sessions.valid("memtrace-session-1=" + first)).isFalse();
    assertThat(sessions.valid("memtrace-session-1=" + last)).isTrue();
  }

  @Test
  void shouldGiveACookieScriptsCannotReadAndOtherSitesDoNotSend() {
    String cookie = new WebSessions(4318).cookie("abc");
    assertThat(cookie).startsWith("memtrace-session-4318=abc;").contains("HttpOnly", "SameSite=Strict", "Path=/");
  }
}
