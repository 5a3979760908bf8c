package io.memtrace.bench.topology;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One client library's synchronous GET and SET against the servers of a {@link Topology}, connected the way
 * that library is meant to be used there (its cluster client, its Sentinel support, its replica reads), and
 * what to close afterwards.
 */
public final class CommandClient implements AutoCloseable {

  private final Function<String, String> get;
  private final BiFunction<String, String, String> set;
  private final int eventsPerCommand;
  private final List<AutoCloseable> resources;

  CommandClient(Function<String, String> get, BiFunction<String, String, String> set, int eventsPerCommand,
      AutoCloseable... resources) {
    this.get = get;
    this.set = set;
    this.eventsPerCommand = eventsPerCommand;
    this.resources = List.of(resources);
  }

  /** Connects {@code client} ({@code jedis}, {@code lettuce}, {@code redisson}) to {@code servers}. */
  public static CommandClient open(String client, Servers servers) throws IOException {
    switch (client.trim().toLowerCase(Locale.ROOT)) {
      case "jedis":
        return JedisClients.open(servers);
      case "lettuce":
        return LettuceClients.open(servers);
      case "redisson":
        return RedissonClients.open(servers);
      default:
        throw new IllegalArgumentException("unknown client '" + client + "' (jedis, lettuce, redisson)");
    }
  }

  public String get(String key) {
    return get.apply(key);
  }

  public String set(String key, String value) {
    return set.apply(key, value);
  }

  /**
   * Events memtrace puts into its ring per command of this client: Jedis one (a whole span, published when
   * the reply is read), Lettuce and Redisson two (a start when sent, an end when completed on the event loop).
   */
  public int eventsPerCommand() {
    return eventsPerCommand;
  }

  /** Closes what {@link #open} made, last first. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing the " + resources.get(i).getClass().getSimpleName(), e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
