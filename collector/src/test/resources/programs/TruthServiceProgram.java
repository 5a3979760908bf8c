import java.nio.charset.StandardCharsets;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The truth suite's traced service: a plain Jedis application, knowing nothing of memtrace, that runs the Redis
 * commands its input asks for, one step at a time, and prints each reply, so that the suite decides every command
 * and its order while the agent sees an ordinary application. One line a step, fields split by tabs:
 * {@code CMD DB NAME ARG...} (one command), {@code PIPE DB N} or {@code MULTI DB N} followed by N lines
 * {@code NAME ARG...} (one pipeline or transaction). Each step's answer is one line {@code R REPLY...}, a reply per
 * command, tab-separated. Usage: TruthServiceProgram host port
 */
public class TruthServiceProgram {

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      jedis.clientSetname("truth-java");
      System.out.println("READY");
      System.out.flush();
      int db = 0;
      for (String line = in.readLine(); line != null && !line.equals("QUIT"); line = in.readLine()) {
        String[] f = line.split("\t", -1);
        int asked = Integer.parseInt(f[1]);
        if (asked != db) {
          jedis.select(asked);
          db = asked;
        }
        List<String> replies = new ArrayList<>();
        if (f[0].equals("CMD")) {
          replies.add(one(jedis, Arrays.copyOfRange(f, 2, f.length)));
        } else {
          int n = Integer.parseInt(f[2]);
          List<String[]> commands = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            commands.add(in.readLine().split("\t", -1));
          }
          replies.addAll(f[0].equals("PIPE") ? pipelined(jedis, commands) : transaction(jedis, commands));
        }
        System.out.println("R\t" + String.join("\t", replies));
        System.out.flush();
      }
    }
  }

  private static String one(Jedis jedis, String[] command) {
    try {
      return text(jedis.sendCommand(named(command[0]), Arrays.copyOfRange(command, 1, command.length)));
    } catch (JedisDataException e) {
      return "!" + e.getMessage().replace('\t', ' ');
    }
  }

  private static List<String> pipelined(Jedis jedis, List<String[]> commands) {
    Pipeline p = jedis.pipelined();
    List<Response<Object>> responses = new ArrayList<>();
    for (String[] c : commands) {
      responses.add(p.sendCommand(named(c[0]), Arrays.copyOfRange(c, 1, c.length)));
    }
    p.sync();
    List<String> out = new ArrayList<>();
    for (Response<Object> r : responses) {
      try {
        out.add(text(r.get()));
      } catch (JedisDataException e) {
        out.add("!" + e.getMessage().replace('\t', ' '));
      }
    }
    return out;
  }

  private static List<String> transaction(Jedis jedis, List<String[]> commands) {
    Transaction t = jedis.multi();
    for (String[] c : commands) {
      t.sendCommand(named(c[0]), Arrays.copyOfRange(c, 1, c.length));
    }
    List<String> out = new ArrayList<>();
    for (Object r : t.exec()) {
      out.add(r instanceof Exception ? "!" + ((Exception) r).getMessage().replace('\t', ' ') : text(r));
    }
    return out;
  }

  private static ProtocolCommand named(String name) {
    try {
      return Protocol.Command.valueOf(name);
    } catch (IllegalArgumentException notInJedis) {
      return () -> name.getBytes(StandardCharsets.US_ASCII);
    }
  }

  /** A reply as one field: a string as itself, nil as (nil), an integer as :N, an array as [a,b]. */
  private static String text(Object reply) {
    if (reply == null) {
      return "(nil)";
    }
    if (reply instanceof byte[]) {
      return new String((byte[]) reply, StandardCharsets.UTF_8);
    }
    if (reply instanceof Long) {
      return ":" + reply;
    }
    if (reply instanceof List) {
      List<String> items = new ArrayList<>();
      for (Object o : (List<?>) reply) {
        items.add(text(o));
      }
      return "[" + String.join(",", items) + "]";
    }
    return String.valueOf(reply);
  }
}
