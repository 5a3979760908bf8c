import java.nio.charset.StandardCharsets;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;

/**
 * A plain Jedis application writing values of every shape a captured value can take, knowing nothing of memtrace:
 * a string, a hash field by field, list appends, an MSET, a pipeline, a transaction, a transaction under WATCH, bytes that are not UTF-8, a value longer than
 * the test's cap, a key the test redacts, a key outside the test's scope and an SETNX that declines.
 * Usage: JedisValuesProgram host port
 */
public class JedisValuesProgram {

  public static void main(String[] args) {
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      jedis.flushDB();
      jedis.set("vc:str", "vcval-string-Ada");
      jedis.hset("vc:hash", "name", "vcval-field-name");
      jedis.hset("vc:hash", "city", "vcval-field-city");
      jedis.rpush("vc:list", "vcval-item-1");
      jedis.rpush("vc:list", "vcval-item-2", "vcval-item-3");
      jedis.mset("vc:m1", "vcval-mset-1", "vc:m2", "vcval-mset-2");
      Pipeline pipeline = jedis.pipelined();
      pipeline.set("vc:p1", "vcval-pipe-1");
      pipeline.hset("vc:p2", "f", "vcval-pipe-2");
      pipeline.sync();
      Transaction transaction = jedis.multi();
      transaction.set("vc:t1", "vcval-multi-1");
      transaction.rpush("vc:t2", "vcval-multi-2");
      transaction.exec();
      jedis.watch("vc:w");
      Transaction watched = jedis.multi();
      watched.set("vc:w", "vcval-watched");
      watched.exec();
      jedis.set("vc:bin".getBytes(StandardCharsets.UTF_8),
          new byte[] {'v', 'c', 'v', 'a', 'l', (byte) 0xC3, (byte) 0x28, (byte) 0xFF});
      jedis.set("vc:big", "vcval-big-" + "x".repeat(200));
      jedis.set("vc:secret:token", "vcval-redacted");
      jedis.set("other:key", "vcval-out-of-scope");
      System.out.println("setnx -> " + jedis.setnx("vc:str", "vcval-declined"));
      System.out.println("get -> " + jedis.get("vc:str"));
    }
  }
}
