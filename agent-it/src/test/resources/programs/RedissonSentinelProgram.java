import java.io.File;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;

/**
 * A plain Redisson application behind Sentinels ({@code useSentinelServers()}), knowing nothing of memtrace: three
 * threads write and read every key once (two with the sync API, one with the async), until {@code stop-file}
 * exists, while whoever runs it fails the primary over. A value read back must be the one written under that key
 * (or nothing, if the write was lost with the old primary). Every exception is printed with the command and key it
 * came from. The response timeout is long so that a loaded machine does not make Redisson give an attempt up and
 * retry it: the given-up attempt's span waits for its late reply or its connection's end, and when neither comes
 * before the program exits it is counted as dropped. (An attempt whose connection the failover closes under it ends
 * with that, an ERROR span; Redisson retries it once its response timeout has given it up, so such a run takes 10 s
 * longer.) Usage: RedissonSentinelProgram master-name sentinel-port,... stop-file read-mode
 */
public class RedissonSentinelProgram extends FailoverWriters {

  /**
   * How long the async thread waits for a result: as long as Redisson may take over an attempt the failover cuts
   * off (its 10 s response timeout, then the retry), as the sync threads do. A wait of 10 s gave up first and printed
   * a TimeoutException for a command Redisson then answered.
   */
  static final long ASYNC_WAIT_SECONDS = 30;

  public static void main(String[] args) throws Exception {
    Config config = new Config();
    config.useSentinelServers().setMasterName(args[0]).setScanInterval(500).setCheckSentinelsList(false)
        .setReadMode(ReadMode.valueOf(args[3])).setTimeout(10_000).setRetryAttempts(3);
    for (String port : args[1].split(",")) {
      config.useSentinelServers().addSentinelAddress("redis://127.0.0.1:" + port);
    }
    File stop = new File(args[2]);
    RedissonClient client = Redisson.create(config);
    try {
      System.out.println("primary-before " + primary(client));
      runWriters(3, thread -> loop(thread, stop, client));
      System.out.println("primary-after " + primary(client) + " " + primary(client));
    } finally {
      client.shutdown();
    }
    printTally();
  }

  static int primary(RedissonClient client) {
    return client.getRedisNodes(RedisNodes.SENTINEL_MASTER_SLAVE).getMaster().getAddr().getPort();
  }

  static void loop(int thread, File stop, RedissonClient client) {
    for (long i = 0; !stop.exists(); i++) {
      String key = "fo:rsn:" + thread + ":" + i;
      String value = value(key, i);
      String op = "SET";
      try {
        RBucket<String> bucket = client.getBucket(key, StringCodec.INSTANCE);
        String read;
        if (thread < 2) {
          bucket.set(value);
          op = "GET";
          read = bucket.get();
        } else {
          bucket.setAsync(value).toCompletableFuture().get(ASYNC_WAIT_SECONDS, TimeUnit.SECONDS);
          op = "GET";
          read = bucket.getAsync().toCompletableFuture().get(ASYNC_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        readBack(key, value, read);
      } catch (Exception e) {
        failed(op, key, e);
      }
      sleep(5);
    }
  }
}
