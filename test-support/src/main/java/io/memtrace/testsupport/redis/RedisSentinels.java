package io.memtrace.testsupport.redis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Sentinel-managed Redis as production runs it: a primary, two replicas and three Sentinels (quorum two), each
 * a {@link RedisProcess} of the distribution's Redis on a free port. {@link #start} returns once every Sentinel
 * knows the primary, both replicas and the two other Sentinels, so that a client discovering the primary and a
 * failover both work at once. Detection is quick ({@code down-after-milliseconds} one second) so that a crash
 * failover fits in a test.
 */
public final class RedisSentinels implements AutoCloseable {

  /** The name clients ask the Sentinels for. */
  public static final String MASTER_NAME = "memtrace-primary";

  private final List<RedisProcess> nodes;
  private final List<RedisProcess> sentinels;

  private RedisSentinels(List<RedisProcess> nodes, List<RedisProcess> sentinels) {
    this.nodes = nodes;
    this.sentinels = sentinels;
  }

  /** Starts the six processes in folders of {@code dir} and waits until the Sentinels know the whole topology. */
  public static RedisSentinels start(Path dir) throws IOException {
    return start(dir, false);
  }

  /**
   * {@link #start(Path)} with the Sentinels on a shorter clock (see {@code SentinelProcess}): the same failover logic, its
   * demotion of an old primary some ten times sooner. For a test that waits for that demotion: a program still
   * writing to the old primary is demoted under it sooner, and meets the lost writes and {@code READONLY} replies a
   * demotion brings (LettuceSentinelIT and JedisSentinelIT's failover by hand count them as the program saw them).
   */
  public static RedisSentinels startQuick(Path dir) throws IOException {
    return start(dir, true);
  }

  private static RedisSentinels start(Path dir, boolean quick) throws IOException {
    List<RedisProcess> nodes = new ArrayList<>();
    List<RedisProcess> sentinels = new ArrayList<>();
    RedisSentinels topology = new RedisSentinels(nodes, sentinels);
    try {
      // a full synchronisation waits five seconds by default for more replicas to share it: not here
      RedisProcess primary = RedisProcess.start(dir.resolve("node-0"), "--repl-diskless-sync-delay", "0");
      nodes.add(primary);
      for (int i = 1; i <= 2; i++) {
        nodes.add(RedisProcess.start(dir.resolve("node-" + i), "--repl-diskless-sync-delay", "0",
            "--replicaof", "127.0.0.1", String.valueOf(primary.port)));
      }
      // Sentinel learns the replicas from the primary's INFO, the first of which it asks at once, then every ten
      // seconds: the replicas must be linked before the Sentinels start
      topology.await("both replicas linked to " + primary.port, () -> linkedReplicas(primary.port) == 2);
      for (int i = 0; i < 3; i++) {
        sentinels.add(SentinelProcess.start(dir.resolve("sentinel-" + i), primary.port, quick));
      }
      topology.await("every Sentinel knows the primary, both replicas and the other Sentinels",
          () -> topology.sentinelsAgree(primary.port));
      return topology;
    } catch (IOException | RuntimeException | Error e) {
      topology.close();
      throw e;
    }
  }

  public String masterName() {
    return MASTER_NAME;
  }

  /** The Sentinels' ports, for a client's list of Sentinels. */
  public List<Integer> sentinelPorts() {
    return sentinels.stream().map(s -> s.port).collect(Collectors.toList());
  }

  /** The ports of the primary and the replicas, in the order they were started (not their current roles). */
  public List<Integer> nodePorts() {
    return nodes.stream().map(n -> n.port).collect(Collectors.toList());
  }

  /** The primary's port as the first Sentinel reports it now. */
  public int primaryPort() throws IOException {
    return reportedPrimary(sentinels.get(0).port);
  }

  /** The data node on {@code port}, for a test that kills or pauses it. */
  public RedisProcess node(int port) {
    return nodes.stream().filter(n -> n.port == port).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no data node on " + port + " in " + nodePorts()));
  }

  /**
   * A failover ordered by hand ({@code SENTINEL FAILOVER}), as an operator or an upgrade does it; returns once every
   * Sentinel reports the new primary and it answers as a primary. The old primary is turned into a replica by the
   * Sentinels some ten seconds later ({@link #awaitDemoted}), and the Sentinels see it linked again some ten seconds
   * after that ({@link #awaitSettled}).
   */
  public int failover() throws IOException {
    int old = primaryPort();
    Resp.once(sentinels.get(0).port, "SENTINEL", "FAILOVER", MASTER_NAME);
    return awaitNewPrimary(old);
  }

  /** The primary crashes ({@link RedisProcess#kill}); returns the port of the replica the Sentinels elect. */
  public int crashPrimary() throws IOException {
    int old = primaryPort();
    node(old).kill();
    return awaitNewPrimary(old);
  }

  private int awaitNewPrimary(int old) throws IOException {
    int[] found = new int[1];
    await("every Sentinel reports a primary other than " + old, () -> {
      int port = primaryPort();
      if (port == old || !hasRole(port, "master")) {
        return false;
      }
      for (RedisProcess sentinel : sentinels) {
        if (reportedPrimary(sentinel.port) != port) {
          return false;
        }
      }
      found[0] = port;
      return true;
    });
    return found[0];
  }

  /**
   * Waits until the node on {@code port} answers as a replica: the Sentinels demote an old primary that stayed up
   * some ten seconds after a failover (they wait for it to report its role twice), and its clients' connections are
   * reset then.
   */
  public void awaitDemoted(int port) throws IOException {
    await("the node on " + port + " is a replica", () -> hasRole(port, "slave"));
  }

  /** Waits until every data node still running is linked to the current primary, as after {@link #start}. */
  public void awaitSettled() throws IOException {
    await("every running node replicates the primary", () -> {
      int primary = primaryPort();
      long running = nodes.stream().filter(RedisProcess::alive).count();
      return linkedReplicas(primary) == running - 1 && sentinelsAgree(primary);
    });
  }

  private boolean sentinelsAgree(int primary) throws IOException {
    long replicas = nodes.stream().filter(n -> n.alive() && n.port != primary).count();
    for (RedisProcess sentinel : sentinels) {
      try (Resp resp = Resp.connect("127.0.0.1", sentinel.port)) {
        Map<String, String> master = fields(resp.call("SENTINEL", "MASTER", MASTER_NAME));
        if (!String.valueOf(primary).equals(master.get("port")) || !"master".equals(master.get("flags"))
            || !"2".equals(master.get("num-other-sentinels"))) {
          return false;
        }
        Object listed = resp.call("SENTINEL", "REPLICAS", MASTER_NAME);
        long healthy = listed instanceof List ? ((List<?>) listed).stream().map(RedisSentinels::fields)
            .filter(r -> "slave".equals(r.get("flags")) && "ok".equals(r.get("master-link-status"))).count() : 0;
        if (healthy != replicas) {
          return false;
        }
      }
    }
    return true;
  }

  private static int reportedPrimary(int sentinelPort) throws IOException {
    Object address = Resp.once(sentinelPort, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
    return Integer.parseInt(String.valueOf(((List<?>) address).get(1)));
  }

  /** How many replicas the node on {@code port} has with their link up ({@code INFO replication}). */
  private static long linkedReplicas(int port) throws IOException {
    try {
      String info = String.valueOf(Resp.once(port, "INFO", "replication"));
      return info.lines().filter(l -> l.matches("slave\\d+:.*state=online.*")).count();
    } catch (IOException e) {
      return -1;
    }
  }

  private static boolean hasRole(int port, String role) {
    try {
      return role.equals(((List<?>) Resp.once(port, "ROLE")).get(0));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** A Sentinel's flat field list ({@code name, value, name, value …}) as a map. */
  private static Map<String, String> fields(Object reply) {
    Map<String, String> map = new HashMap<>();
    if (reply instanceof List) {
      List<?> items = (List<?>) reply;
      for (int i = 0; i + 1 < items.size(); i += 2) {
        map.put(String.valueOf(items.get(i)), String.valueOf(items.get(i + 1)));
      }
    }
    return map;
  }

  private void await(String what, Settling.Check check) {
    Settling.await(what, check, () -> "; Sentinel logs:\n"
        + sentinels.stream().map(RedisProcess::log).collect(Collectors.joining("\n")));
  }

  /** Stops the Sentinels first (so that they fail nothing over), then the data nodes. */
  @Override
  public void close() {
    sentinels.forEach(RedisProcess::stop);
    nodes.forEach(RedisProcess::stop);
  }

  @Override
  public String toString() {
    return "Sentinels " + sentinelPorts() + " over " + nodePorts();
  }
}
