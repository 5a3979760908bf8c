package io.memtrace.bench.overhead;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;

/**
 * The workload ({@link CommandLoad}) through Lettuce 6.6's sync API, used the way Lettuce is
 * meant to be: one {@code RedisClient} with its default resources, one
 * {@code StatefulRedisConnection} shared by every load thread (Lettuce connections are
 * thread-safe; the commands of several threads are in flight on it at once, and a Netty event
 * loop reads their replies and completes them).
 *
 * <p>Usage: {@code LettuceLoad host port threads warmupSeconds measureSeconds [valueBytes] [keys]}
 */
public final class LettuceLoad implements CommandLoad.Client {

  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final RedisCommands<byte[], byte[]> commands;

  private LettuceLoad(String host, int port) {
    client = RedisClient.create(RedisURI.create(host, port));
    connection = client.connect(ByteArrayCodec.INSTANCE);
    commands = connection.sync();
  }

  public static void main(String[] args) throws Exception {
    CommandLoad.run(args, LettuceLoad::new);
  }

  @Override
  public CommandLoad.Connection open() {
    commands.ping();
    return new Shared(commands);
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  /** A load thread's view of the shared connection: closing it leaves the connection open. */
  private static final class Shared implements CommandLoad.Connection {
    private final RedisCommands<byte[], byte[]> commands;

    Shared(RedisCommands<byte[], byte[]> commands) {
      this.commands = commands;
    }

    @Override
    public void set(byte[] key, byte[] value) {
      commands.set(key, value);
    }

    @Override
    public void get(byte[] key) {
      commands.get(key);
    }

    @Override
    public void close() {
      // the client closes the shared connection once every thread is done
    }
  }
}
