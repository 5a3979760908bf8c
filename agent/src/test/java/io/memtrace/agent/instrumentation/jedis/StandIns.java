package io.memtrace.agent.instrumentation.jedis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Small classes shaped like the Jedis methods the advice goes on, to be redefined with the advice
 * in a class loader of their own. A reply that is a {@link RuntimeException} is thrown when read,
 * as Jedis throws an error reply.
 */
final class StandIns {

  private StandIns() {
  }

  /** {@code redis.clients.jedis.Connection}, both sending shapes. */
  public static class Connection {
    public Object socket = new Object();
    public final Deque<Object> replies = new ArrayDeque<>();
    public RuntimeException sendFailure;
    public RuntimeException flushFailure;

    /** Jedis 4+. */
    public void sendCommand(Object commandArguments) {
      if (sendFailure != null) {
        throw sendFailure;
      }
    }

    /** Jedis 3. */
    public void sendCommand(Object protocolCommand, byte[]... args) {
      if (sendFailure != null) {
        throw sendFailure;
      }
    }

    /** Jedis writes commands into a buffer, flushed before it reads their replies. */
    protected void flush() {
      if (flushFailure != null) {
        throw flushFailure;
      }
    }

    /** {@code getOne()}: flushes, then reads. */
    public Object getOne() {
      flush();
      return readProtocolWithCheckingBroken();
    }

    public Object readProtocolWithCheckingBroken() {
      Object reply = replies.poll();
      if (reply instanceof RuntimeException) {
        throw (RuntimeException) reply;
      }
      return reply;
    }

    /** Jedis 4+: the replies of {@code count} pipelined commands (a cluster pipeline calls it on a worker thread). */
    public List<Object> getMany(int count) {
      List<Object> all = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        all.add(readProtocolWithCheckingBroken());
      }
      return all;
    }

    /** Jedis 4+: sets the connection up, as {@code CLIENT SETINFO} does. */
    public void initializeFromClientConfig(Object config) {
      sendCommand("CLIENT SETINFO");
      readProtocolWithCheckingBroken();
    }

    /** Jedis 7: sends its set-up commands, then reads their replies at once. */
    public void initializeManyFromClientConfig(Object config) {
      sendCommand("CLIENT SETINFO");
      sendCommand("READONLY");
      getMany(2);
    }

    public void disconnect() {
    }
  }

  /** {@code Pipeline}: {@code syncAndReturnAll()} reads one reply per queued command. */
  public static class Pipeline {
    public final Connection connection;
    public int queued;

    public Pipeline(Connection connection) {
      this.connection = connection;
    }

    public List<Object> syncAndReturnAll() {
      List<Object> all = new ArrayList<>();
      for (; queued > 0; queued--) {
        all.add(connection.readProtocolWithCheckingBroken());
      }
      return all;
    }

    /** As Jedis 4+ does: the connection reads them all at once. */
    public List<Object> sync() {
      List<Object> all = connection.getMany(queued);
      queued = 0;
      return all;
    }
  }

  /** A pub/sub listener: its private loop reads until the subscription ends. */
  public static class PubSub {
    public final Connection connection;
    public int reads;

    public PubSub(Connection connection) {
      this.connection = connection;
    }

    public void run() {
      process();
    }

    private void process() {
      for (; reads > 0; reads--) {
        connection.readProtocolWithCheckingBroken();
      }
    }
  }

  /** Jedis 3's {@code BinaryJedis}: sets up the connection it holds in {@code client}. */
  public static class BinaryJedis {
    public final Connection client;

    public BinaryJedis(Connection client) {
      this.client = client;
    }

    public void setUp() {
      initializeFromClientConfig("config");
    }

    /** Sends MULTI and reads its reply at once, as Jedis 3 does. */
    public Object multi() {
      client.sendCommand("MULTI", new byte[0][]);
      client.readProtocolWithCheckingBroken();
      return "a transaction";
    }

    private void initializeFromClientConfig(Object config) {
      client.sendCommand("AUTH", new byte[][] {"secret".getBytes()});
      client.readProtocolWithCheckingBroken();
    }
  }
}
