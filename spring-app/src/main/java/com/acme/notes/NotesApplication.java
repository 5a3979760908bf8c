package com.acme.notes;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.beans.factory.annotation.Value;
import redis.clients.jedis.JedisPooled;

/**
 * A small Spring Boot service that keeps notes in Redis: the kind of application memtrace meets
 * beside the OpenTelemetry Java agent. It knows nothing of either. Redis is {@code redis.host} and
 * {@code redis.port} (or the environment's {@code REDIS_HOST} and {@code REDIS_PORT}).
 */
@SpringBootApplication
public class NotesApplication {

  public static void main(String[] args) {
    SpringApplication.run(NotesApplication.class, args);
  }

  @Bean(destroyMethod = "close")
  JedisPooled jedis(@Value("${redis.host:localhost}") String host, @Value("${redis.port:6379}") int port) {
    return new JedisPooled(host, port);
  }
}
