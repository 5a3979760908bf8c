package com.example.notes;

import java.time.Duration;
import redis.clients.jedis.JedisPooled;

/**
 * A small application with a memory manager of its own on Redis. It knows nothing of memtrace.
 * Run it with Jedis on the class path (docs/your-own-app.md):
 *   java -cp "$CP" NotesApp.java [redis-host [redis-port]]     saves, reads and deletes a few notes
 *   java -cp "$CP" NotesApp.java redis-host redis-port load ID  reads one note
 */
public class NotesApp {

  public static void main(String[] args) throws Exception {
    String host = args.length > 0 ? args[0] : "127.0.0.1";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 6379;
    try (JedisPooled redis = new JedisPooled(host, port)) {
      NoteStore notes = new NoteStore(redis, "notes");
      if (args.length > 3 && args[2].equals("load")) {
        System.out.println(args[3] + " -> " + notes.load(args[3]));
        return;
      }
      notes.save("plan", "draft 1", null);
      notes.save("plan", "draft 2", null);
      System.out.println("plan -> " + notes.load("plan"));
      notes.save("login-state", "state-8f2c", Duration.ofSeconds(1));
      Thread.sleep(1500);
      System.out.println("login-state -> " + notes.load("login-state"));
      notes.save("todo", "buy milk", null);
      notes.remove("todo");
      System.out.println("todo -> " + notes.load("todo"));
      notes.save("token:alice", "s3cret", null);
    }
  }
}

/** The application's memory manager: one note per Redis string, under "namespace:id". */
class NoteStore {

  private final JedisPooled redis;
  private final String namespace;

  NoteStore(JedisPooled redis, String namespace) {
    this.redis = redis;
    this.namespace = namespace;
  }

  public void save(String id, String text, Duration ttl) {
    if (ttl == null) {
      redis.set(namespace + ":" + id, text);
    } else {
      redis.setex(namespace + ":" + id, ttl.toSeconds(), text);
    }
  }

  public String load(String id) {
    return redis.get(namespace + ":" + id);
  }

  public void remove(String id) {
    redis.del(namespace + ":" + id);
  }
}
