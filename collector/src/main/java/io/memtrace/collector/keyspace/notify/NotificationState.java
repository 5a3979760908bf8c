package io.memtrace.collector.keyspace.notify;

import io.memtrace.collector.Log;
import java.util.Objects;

/**
 * What the subscriber of one Redis's keyspace notifications knows now: its state, the error that put it there, the
 * server's {@code notify-keyspace-events}. A change is handed on ({@code changed}: a status row now); a line is
 * logged once, not again while it stays the same (a server asked again every interval).
 */
final class NotificationState {

  private final Runnable changed;
  private final Object lock = new Object();
  private volatile String state;
  private volatile String error;
  private volatile String notifyConfig;
  private String lastLogged;

  NotificationState(Runnable changed) {
    this.changed = changed;
  }

  /** The current state; null before the subscriber has looked. */
  String state() {
    return state;
  }

  String error() {
    return error;
  }

  /** The server's setting as last read; null before the subscriber has read it. */
  String notifyConfig() {
    return notifyConfig;
  }

  void notifyConfig(String config) {
    notifyConfig = config;
  }

  void change(String newState, String newError) {
    synchronized (lock) {
      if (Objects.equals(newState, state) && Objects.equals(newError, error)) {
        return;
      }
      state = newState;
      error = newError;
    }
    changed.run();
  }

  void say(String line) {
    synchronized (lock) {
      if (line.equals(lastLogged)) {
        return;
      }
      lastLogged = line;
    }
    Log.info(line);
  }
}
