import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;

/**
 * A plain application that writes through Jedis pipelines and a Jedis MULTI/EXEC, and through Lettuce (whose
 * commands end on its own threads) singly and in a MULTI/EXEC, knowing nothing of memtrace: run once as the writer and once, in another JVM, as
 * the reader of the same Redis, each read a single GET. Usage: BatchLineageProgram write|read host port
 */
public class BatchLineageProgram {

  static final String[] READ = {"batch:p1", "batch:p2", "batch:gone", "batch:t1", "batch:n", "batch:t-gone",
      "batch:l1", "batch:l2", "batch:ln"};

  public static void main(String[] args) throws Exception {
    BatchLineageProgram program = new BatchLineageProgram();
    try (Jedis jedis = new Jedis(args[1], Integer.parseInt(args[2]))) {
      if (args[0].equals("write")) {
        RedisClient client = RedisClient.create("redis://" + args[1] + ":" + args[2]);
        try (StatefulRedisConnection<String, String> lettuce = client.connect()) {
          program.write(jedis, lettuce.sync());
        } finally {
          client.shutdown();
        }
      } else {
        System.out.println(program.read(jedis));
      }
    }
  }

  /** The writer's task: two pipelines, a transaction, then a SET, an EXPIRE and a transaction through Lettuce. */
  void write(Jedis jedis, RedisCommands<String, String> lettuce) {
    Pipeline first = jedis.pipelined();
    first.set("batch:gone", "short-lived");
    first.set("batch:t-gone", "short-lived");
    first.sync();
    Pipeline second = jedis.pipelined();
    second.set("batch:p1", "one");
    second.get("batch:p1");
    second.setex("batch:p2", 600, "two");
    second.del("batch:gone");
    second.sync();
    Transaction multi = jedis.multi();
    multi.set("batch:t1", "in a transaction");
    multi.incr("batch:n");
    multi.del("batch:t-gone");
    multi.exec();
    lettuce.set("batch:l1", "through Lettuce");
    lettuce.expire("batch:l1", 600);
    lettuce.multi();
    lettuce.set("batch:l2", "in a Lettuce transaction");
    lettuce.incr("batch:ln");
    lettuce.exec();
  }

  /** The reader's task: each key, with a GET of its own. */
  String read(Jedis jedis) {
    StringBuilder out = new StringBuilder();
    for (String key : READ) {
      out.append(key).append('=').append(jedis.get(key)).append(' ');
    }
    return out.toString();
  }
}
