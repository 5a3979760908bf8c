import java.net.URI;
import java.util.List;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * A plain Jedis 7 application, knowing nothing of memtrace, that reaches Redis by URL: {@code rediss://} over TLS
 * (trusting whatever the JVM's trust store says), {@code redis://} in plain text. The same commands either way, with
 * what each returned printed, so runs can be compared. With {@code no-setinfo} its connections skip Jedis's
 * {@code CLIENT SETINFO}, so that the first thing written is the application's own command.
 * Usage: TlsProgram url [no-setinfo]
 */
public class TlsProgram {

  public static void main(String[] args) {
    URI uri = URI.create(args[0]);
    boolean ssl = "rediss".equals(uri.getScheme());
    ClientSetInfoConfig setInfo = args.length > 1 && "no-setinfo".equals(args[1])
        ? ClientSetInfoConfig.DISABLED : ClientSetInfoConfig.DEFAULT;
    try {
      run(uri, DefaultJedisClientConfig.builder().ssl(ssl).clientSetInfoConfig(setInfo).build());
    } catch (JedisException e) {
      print("failed", e.getClass().getName() + ": " + e.getMessage());
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        print("cause", cause.getClass().getName());
      }
    }
  }

  static void run(URI uri, DefaultJedisClientConfig config) {
    try (Jedis jedis = new Jedis(new HostAndPort(uri.getHost(), uri.getPort()), config)) {
      print("flushdb", jedis.flushDB());
      print("set", jedis.set("user:42:name", "Ada Lovelace"));
      print("get", jedis.get("user:42:name"));
      print("get-miss", jedis.get("user:43:name"));
      print("setex", jedis.setex("session:token:abc", 60, "secret-token-value"));
      print("hset", jedis.hset("profile:42", "city", "London"));
      print("hget", jedis.hget("profile:42", "city"));
      print("mget", jedis.mget("user:42:name", "user:43:name"));
      print("big-set", jedis.set("blob:1", "x".repeat(100_000)));
      print("big-get", jedis.get("blob:1").length());
      try {
        jedis.lpush("user:42:name", "not-a-list");
        print("lpush", "unexpected success");
      } catch (JedisException e) {
        print("lpush-error", e.getClass().getName() + ": " + e.getMessage());
      }
      Pipeline p = jedis.pipelined();
      Response<String> r1 = p.set("batch:1", "one");
      Response<String> r2 = p.get("batch:1");
      p.sync();
      print("pipeline", r1.get() + "," + r2.get());
      Transaction t = jedis.multi();
      t.set("tx:1", "a");
      t.incr("tx:counter");
      List<Object> exec = t.exec();
      print("exec", exec);
    }
    try (JedisPooled pooled = new JedisPooled(uri)) {
      print("pooled-set", pooled.set("pooled:key", "by url", new SetParams().ex(120)));
      print("pooled-get", pooled.get("pooled:key"));
      print("pooled-get-miss", pooled.get("pooled:missing"));
    }
  }

  static void print(String label, Object value) {
    System.out.println(label + " -> " + value);
  }
}
