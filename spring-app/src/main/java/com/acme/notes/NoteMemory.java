package com.acme.notes;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import org.springframework.stereotype.Service;
import redis.clients.jedis.JedisPooled;

/** The application's memory: one Redis string per note, under {@code note:<key>}. */
@Service
public class NoteMemory {

  private final JedisPooled jedis;

  public NoteMemory(JedisPooled jedis) {
    this.jedis = jedis;
  }

  @WithSpan
  public void store(String key, String value) {
    jedis.set("note:" + key, value);
  }

  /** The note, or {@code null} when there is none. */
  @WithSpan
  public String retrieve(String key) {
    return jedis.get("note:" + key);
  }
}
