import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain Lettuce application (5.3 to 7.x), knowing nothing of memtrace, that reaches Redis by URL: {@code rediss://}
 * over TLS (trusting whatever the JVM's trust store says), {@code redis://} in plain text. The same commands either
 * way through the sync, async and reactive APIs, with what each returned printed, so runs can be compared.
 * Usage: LettuceTlsProgram url
 */
public class LettuceTlsProgram {

  public static void main(String[] args) throws Exception {
    RedisClient client = RedisClient.create(args[0]);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> sync = connection.sync();
      print("flushdb", sync.flushdb());
      print("set", sync.set("user:42:name", "Ada Lovelace"));
      print("get", sync.get("user:42:name"));
      print("miss", sync.get("user:43:name"));
      try {
        sync.lpush("user:42:name", "x");
      } catch (RedisException e) {
        print("lpush-error", e.getClass().getName() + ": " + e.getMessage());
      }
      StringBuilder blob = new StringBuilder();
      for (int i = 0; i < 100_000; i++) {
        blob.append((char) ('a' + i % 26));
      }
      sync.set("blob:1", blob.toString());
      print("blob", "read back " + sync.get("blob:1").equals(blob.toString()));

      RedisAsyncCommands<String, String> async = connection.async();
      List<RedisFuture<String>> sets = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        sets.add(async.set("note:" + i, "note number " + i));
      }
      for (RedisFuture<String> set : sets) {
        set.get();
      }
      int read = 0;
      for (int i = 0; i < 20; i++) {
        read += ("note number " + i).equals(async.get("note:" + i).get()) ? 1 : 0;
      }
      print("async", read + " notes read back");
      print("reactive", connection.reactive().get("note:7").block());
      sync.multi();
      sync.set("tx:1", "one");
      sync.incr("tx:counter");
      print("exec", sync.exec().size());
    } catch (RedisException e) {
      print("failed", e.getClass().getName());
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        print("cause", cause.getClass().getName());
      }
    } finally {
      client.shutdown();
    }
  }

  static void print(String what, Object detail) {
    System.out.println(what + " -> " + detail);
    System.out.flush();
  }
}
