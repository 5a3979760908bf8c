package io.memtrace.collector.keyspace;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * One connection of a watcher to its Redis, every command through the {@link CommandBudget}.
 * Remembers what the server supports and what it refused, so a pass leaves out a probe the
 * watcher's user may not run and says so, instead of failing.
 */
final class RedisSession implements AutoCloseable {

  /** The probes of a key besides TYPE; each may be refused on its own. */
  enum Probe { PTTL, IDLE, FREQ, MEMORY }

  final Jedis jedis;
  final CommandBudget budget;
  private final InfoFields server;
  private final Set<Probe> refused = new LinkedHashSet<>();
  private final List<String> notes = new ArrayList<>();
  private String connectNote;

  RedisSession(RedisUrl url, CommandBudget budget) throws InterruptedException {
    this.jedis = new Jedis(url.hostAndPort(), url.clientConfig(WatchSettings.TIMEOUT_MILLIS));
    this.budget = budget;
    try {
      this.server = info("server");
      if (server.versionAtLeast(7, 2)) {
        noTouch();
      }
    } catch (RuntimeException | InterruptedException e) {
      jedis.close();
      throw e;
    }
  }

  /** Keeps the watcher's reads from changing idle times and LFU counters (Redis 7.2+). */
  private void noTouch() throws InterruptedException {
    budget.acquire(1);
    try {
      jedis.sendCommand(Protocol.Command.CLIENT, "NO-TOUCH", "ON");
    } catch (JedisDataException e) {
      connectNote = "CLIENT NO-TOUCH refused (" + e.getMessage() + "); the watcher's probes do not touch keys anyway";
    }
  }

  InfoFields info(String section) throws InterruptedException {
    budget.acquire(1);
    return new InfoFields(jedis.info(section));
  }

  /** Each pass asks again for what the last one was refused: an ACL may have been fixed meanwhile. */
  void newPass() {
    refused.clear();
    notes.clear();
    if (connectNote != null) {
      notes.add(connectNote);
    }
  }

  boolean allowed(Probe probe) {
    return !refused.contains(probe);
  }

  /** A probe the server refused: left out of this session's passes, and said once. */
  void refuse(Probe probe, String command, JedisDataException e) {
    if (refused.add(probe)) {
      notes.add(command + " refused (" + e.getMessage() + ")");
    }
  }

  /** What the server refused or lacks, for the {@code error} column; null when nothing. */
  String notes() {
    return notes.isEmpty() ? null : String.join("; ", notes);
  }

  @Override
  public void close() {
    try {
      jedis.close();
    } catch (RuntimeException e) {
      // the connection is gone already
    }
  }
}
