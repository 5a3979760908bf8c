import redis.clients.jedis.Jedis;

/** SET then GET on distinct keys, paced so that the agent exports many small batches; prints how many commands it sent. */
public class RetryProgram {
  public static void main(String[] args) throws Exception {
    int pairs = Integer.parseInt(args[2]);
    long sent = 0;
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      for (int i = 0; i < pairs; i++) {
        jedis.set("retry:" + i, "v" + i);
        jedis.get("retry:" + i);
        sent += 2;
        if (i % 50 == 49) {
          Thread.sleep(20);
        }
      }
    }
    System.out.println("commands=" + sent);
  }
}
