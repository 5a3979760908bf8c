package io.memtrace.collector.keyspace;

import io.memtrace.collector.keyspace.RedisSession.Probe;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The commands that measure one key, none of which touches it (changes its idle time or LFU
 * counter): {@code TYPE}, {@code PTTL}, {@code OBJECT IDLETIME} or, under an LFU policy,
 * {@code OBJECT FREQ}, and {@code MEMORY USAGE} with Redis's default sampling of nested values.
 * A probe the server refuses ({@code NOPERM}, an unknown command) is left out from then on.
 */
final class KeyProbes {

  private final RedisSession session;
  private final boolean pttl;
  private final boolean idle;
  private final boolean freq;
  private final boolean memory;

  KeyProbes(RedisSession session, boolean lfu) {
    this.session = session;
    this.pttl = session.allowed(Probe.PTTL);
    this.idle = !lfu && session.allowed(Probe.IDLE);
    this.freq = lfu && session.allowed(Probe.FREQ);
    this.memory = session.allowed(Probe.MEMORY);
  }

  int perKey() {
    return 1 + (pttl ? 1 : 0) + (idle || freq ? 1 : 0) + (memory ? 1 : 0);
  }

  Replies queue(Pipeline pipeline, byte[] key) {
    return new Replies(pipeline.type(key), pttl ? pipeline.pttl(key) : null,
        idle ? pipeline.objectIdletime(key) : null, freq ? pipeline.objectFreq(key) : null,
        memory ? pipeline.memoryUsage(key) : null);
  }

  /** The replies for one key; a refused probe reads as null and is remembered. */
  final class Replies {
    private final Response<String> type;
    private final Response<Long> pttlReply;
    private final Response<Long> idleReply;
    private final Response<Long> freqReply;
    private final Response<Long> bytesReply;

    Replies(Response<String> type, Response<Long> pttl, Response<Long> idle, Response<Long> freq, Response<Long> bytes) {
      this.type = type;
      this.pttlReply = pttl;
      this.idleReply = idle;
      this.freqReply = freq;
      this.bytesReply = bytes;
    }

    /** The type, or null when TYPE itself was refused, which fails the pass. */
    String type() {
      return type.get();
    }

    Long pttl() {
      return read(pttlReply, Probe.PTTL, "PTTL");
    }

    Long idle() {
      return read(idleReply, Probe.IDLE, "OBJECT IDLETIME");
    }

    Long freq() {
      return read(freqReply, Probe.FREQ, "OBJECT FREQ");
    }

    Long bytes() {
      return read(bytesReply, Probe.MEMORY, "MEMORY USAGE");
    }

    private Long read(Response<Long> reply, Probe probe, String command) {
      if (reply == null) {
        return null;
      }
      try {
        return reply.get();
      } catch (JedisDataException e) {
        session.refuse(probe, command, e);
        return null;
      }
    }
  }
}
