import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A plain Jedis application, knowing nothing of memtrace, whose server dies in the middle of a new connection's set-up:
 * a listener on loopback accepts, reads what Jedis writes (its {@code CLIENT SETINFO}s, sent together) and resets the
 * connection without a reply, as a crashed Redis does. The program prints what the call threw and how many
 * {@code SETINFO}s the server read, then uses a real Redis once. Usage: HandshakeCutProgram redis-port
 */
public class HandshakeCutProgram {

  public static void main(String[] args) throws Exception {
    int[] setInfos = new int[1];
    try (ServerSocket dying = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> setInfos[0] = readThenReset(dying), "dying-server");
      server.start();
      // as a pool's factory makes its connections: with a client config, so set up at once (CLIENT SETINFO)
      try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", dying.getLocalPort()),
          DefaultJedisClientConfig.builder().build())) {
        System.out.println("ping " + jedis.ping());
      } catch (JedisException e) {
        System.out.println("cut " + e.getClass().getSimpleName());
      }
      server.join();
    }
    System.out.println("server read " + setInfos[0] + " SETINFO");
    try (Jedis jedis = new Jedis("127.0.0.1", Integer.parseInt(args[0]))) {
      System.out.println("set " + jedis.set("cut:after", "ok"));
    }
  }

  /** Reads until two {@code SETINFO}s came (or 2 s of quiet), then resets the connection; how many came. */
  static int readThenReset(ServerSocket listener) {
    try (Socket s = listener.accept()) {
      s.setSoTimeout(500);
      InputStream in = s.getInputStream();
      StringBuilder seen = new StringBuilder();
      byte[] buffer = new byte[4096];
      int count = 0;
      while (count < 2) {
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketTimeoutException quiet) {
          break;
        }
        if (n < 0) {
          break;
        }
        seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        count = seen.toString().toUpperCase().split("SETINFO", -1).length - 1;
      }
      s.setSoLinger(true, 0); // closed with a reset: the client's read fails at once
      System.out.println("server read " + seen.toString().replaceAll("\\r\\n", " "));
      return count;
    } catch (IOException e) {
      System.out.println("server failed " + e);
      return -1;
    }
  }
}
