package com.acme.memory.layers;

import java.util.Map;
import redis.clients.jedis.JedisPooled;

/**
 * Layer 4: permanent architectural facts (PAFs) that later work is checked against. A validation
 * that contradicts a fact is a violation.
 */
public final class PafStore {

  private final JedisPooled redis;

  public PafStore(JedisPooled redis) {
    this.redis = redis;
  }

  public void addFact(String category, String factId, String decision, String rationale) {
    redis.hset("paf:" + category + "-" + factId, Map.of("decision", decision, "rationale", rationale));
  }

  /** Checks a proposed choice against the fact; the result says whether it holds. */
  public Validation validate(String category, String factId, String proposed) {
    String decision = redis.hget("paf:" + category + "-" + factId, "decision");
    if (decision == null) {
      return new Validation(category + "-" + factId, false, "no such fact");
    }
    boolean holds = decision.toLowerCase().contains(proposed.toLowerCase());
    redis.hincrBy("paf:stats", holds ? "validations" : "violations", 1);
    return new Validation(category + "-" + factId, holds, decision);
  }

  /** The outcome of checking a choice against one fact. */
  public record Validation(String fact, boolean holds, String decision) {
  }
}
