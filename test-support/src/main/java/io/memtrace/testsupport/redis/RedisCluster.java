package io.memtrace.testsupport.redis;

import io.memtrace.testsupport.Ports;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis Cluster of three masters and three replicas, each a {@link RedisProcess} of the distribution's
 * {@code redis-server}, set up the way an operator does it by hand (ADDSLOTSRANGE, MEET, REPLICATE), for tests that
 * need what only a cluster does: redirections, a resharding while an application runs, a failover. Every wait is
 * bounded; {@link #close} stops every node.
 */
public final class RedisCluster implements AutoCloseable {

  /** How long a node may go unheard before it is failing: short, so a test's failover is quick. */
  static final int NODE_TIMEOUT_MILLIS = 1000;

  private final List<RedisProcess> nodes;
  private final List<String> ids;

  private RedisCluster(List<RedisProcess> nodes, List<String> ids) {
    this.nodes = nodes;
    this.ids = ids;
  }

  /** Starts six nodes in {@code dir}, makes nodes 0–2 masters of a third of the slots each and 3–5 their replicas. */
  public static RedisCluster start(Path dir) throws IOException {
    List<RedisProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        nodes.add(RedisProcess.start(dir.resolve("node-" + i), Ports.freeWithClusterBus(), "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", String.valueOf(NODE_TIMEOUT_MILLIS),
            "--cluster-require-full-coverage", "yes"));
      }
      List<String> ids = new ArrayList<>();
      for (RedisProcess node : nodes) {
        ids.add((String) call(node, "CLUSTER", "MYID"));
      }
      RedisCluster cluster = new RedisCluster(nodes, ids);
      cluster.form();
      return cluster;
    } catch (IOException | RuntimeException | Error e) {
      nodes.forEach(RedisProcess::kill);
      throw e;
    }
  }

  private void form() throws IOException {
    int third = ClusterSlots.COUNT / 3;
    for (int m = 0; m < 3; m++) {
      int first = m * third;
      int last = m == 2 ? ClusterSlots.COUNT - 1 : first + third - 1;
      ok(nodes.get(m), "CLUSTER", "ADDSLOTSRANGE", String.valueOf(first), String.valueOf(last));
    }
    for (int i = 1; i < 6; i++) {
      ok(nodes.get(0), "CLUSTER", "MEET", "127.0.0.1", String.valueOf(nodes.get(i).port));
    }
    await("every node knows the other five", () -> all(node -> nodesLines(node).size() == 6));
    for (int r = 3; r < 6; r++) {
      ok(nodes.get(r), "CLUSTER", "REPLICATE", ids.get(r - 3));
    }
    awaitSettled();
  }

  /**
   * Waits until every node says {@code cluster_state:ok}, every node sees three masters with a replica each, and
   * every replica's link to its master is up and synced.
   */
  public void awaitSettled() {
    await("cluster settled", () -> all(node -> {
      Object info = call(node, "CLUSTER", "INFO");
      if (!String.valueOf(info).contains("cluster_state:ok")) {
        return false;
      }
      long replicas = nodesLines(node).stream().map(l -> l.split(" ")[2])
          .filter(flags -> flags.contains("slave") && !flags.contains("fail")).count();
      if (replicas != 3) {
        return false;
      }
      String replication = String.valueOf(call(node, "INFO", "replication"));
      return replication.contains("role:master")
          || replication.contains("master_link_status:up") && replication.contains("master_sync_in_progress:0");
    }));
  }

  /** Every node, in the order started (nodes 0–2 were the first masters). */
  public List<RedisProcess> nodes() {
    return List.copyOf(nodes);
  }

  /** The nodes that are masters now (a failover changes which). */
  public List<RedisProcess> masters() {
    List<RedisProcess> masters = new ArrayList<>();
    for (RedisProcess node : nodes) {
      if (node.alive() && "master".equals(role(node))) {
        masters.add(node);
      }
    }
    return masters;
  }

  /** The replica of {@code master}. */
  public RedisProcess replicaOf(RedisProcess master) {
    String id = id(master);
    for (RedisProcess node : nodes) {
      if (node.alive() && node != master && String.valueOf(call(node, "CLUSTER", "NODES")).lines()
          .anyMatch(l -> l.startsWith(id(node) + " ") && l.split(" ")[3].equals(id))) {
        return node;
      }
    }
    throw new IllegalStateException("no replica of " + master);
  }

  /** The node's cluster id. */
  public String id(RedisProcess node) {
    return ids.get(nodes.indexOf(node));
  }

  public RedisProcess byPort(long port) {
    for (RedisProcess node : nodes) {
      if (node.port == port) {
        return node;
      }
    }
    throw new IllegalArgumentException("no node on port " + port);
  }

  /** The master that owns the slot of {@code key} now, as the cluster (node 0's view, or a live node's) says. */
  public RedisProcess ownerOf(String key) {
    return ownerOfSlot(ClusterSlots.of(key));
  }

  public RedisProcess ownerOfSlot(int slot) {
    RedisProcess asked = nodes.stream().filter(RedisProcess::alive).findFirst().orElseThrow();
    long port = portServing(asked, slot);
    if (port < 0) {
      throw new IllegalStateException("no node serves slot " + slot);
    }
    return byPort(port);
  }

  /** The port of the master that serves {@code slot} as {@code node} sees it, or -1. */
  static long portServing(RedisProcess node, int slot) {
    for (Object range : (List<?>) call(node, "CLUSTER", "SLOTS")) {
      List<?> r = (List<?>) range;
      if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
        return (Long) ((List<?>) r.get(2)).get(1);
      }
    }
    return -1;
  }

  /** Moves {@code slot} and its keys from one master to another, all the way (a resharding of one slot). */
  public void migrateSlot(int slot, RedisProcess from, RedisProcess to) throws IOException {
    beginMigration(slot, from, to).finish(); // which moves every key first
  }

  /** Starts moving {@code slot} from one master to another: the slot is half-way until {@link SlotMigration#finish}. */
  public SlotMigration beginMigration(int slot, RedisProcess from, RedisProcess to) throws IOException {
    ok(to, "CLUSTER", "SETSLOT", String.valueOf(slot), "IMPORTING", id(from));
    ok(from, "CLUSTER", "SETSLOT", String.valueOf(slot), "MIGRATING", id(to));
    return new SlotMigration(this, slot, from, to);
  }

  /**
   * A manual failover of {@code master}: its replica asks for it ({@code CLUSTER FAILOVER}), the two swap roles
   * without losing an acknowledged write, and every node learns it; the new master.
   */
  public RedisProcess failover(RedisProcess master) throws IOException {
    RedisProcess replica = replicaOf(master);
    ok(replica, "CLUSTER", "FAILOVER");
    await(replica + " promoted", () -> "master".equals(role(replica)) && "slave".equals(role(master)));
    awaitSettled();
    await("every node sees " + replica + " as a master", () -> all(node -> nodesLines(node).stream()
        .anyMatch(l -> l.startsWith(id(replica) + " ") && l.split(" ")[2].contains("master"))));
    return replica;
  }

  /** A crash of {@code master}: killed; waits until its replica has taken over. The new master. */
  public RedisProcess crash(RedisProcess master) {
    RedisProcess replica = replicaOf(master);
    master.kill();
    await(replica + " promoted after a crash", () -> "master".equals(role(replica))
        && String.valueOf(call(replica, "CLUSTER", "INFO")).contains("cluster_state:ok"));
    return replica;
  }

  /** Forgets every node's statistics, the error counts of {@link #errorReplies} included. */
  public void resetStats() {
    all(node -> "OK".equals(call(node, "CONFIG", "RESETSTAT")));
  }

  /**
   * How many error replies starting with {@code code} ({@code MOVED}, {@code ASK}) {@code node} has sent since it
   * started or {@link #resetStats}, from its {@code INFO errorstats}: the count of attempts MONITOR does not show.
   */
  public long errorReplies(RedisProcess node, String code) {
    String prefix = "errorstat_" + code + ":count=";
    return String.valueOf(call(node, "INFO", "errorstats")).lines().filter(l -> l.startsWith(prefix))
        .mapToLong(l -> Long.parseLong(l.substring(prefix.length()).split(",")[0].trim())).sum();
  }

  @Override
  public void close() {
    for (RedisProcess node : nodes) {
      node.kill();
    }
  }

  private String role(RedisProcess node) {
    return String.valueOf(((List<?>) call(node, "ROLE")).get(0));
  }

  private List<String> nodesLines(RedisProcess node) {
    return String.valueOf(call(node, "CLUSTER", "NODES")).lines().filter(l -> !l.isBlank())
        .collect(java.util.stream.Collectors.toList());
  }

  boolean all(java.util.function.Predicate<RedisProcess> check) {
    for (RedisProcess node : nodes) {
      if (node.alive() && !check.test(node)) {
        return false;
      }
    }
    return true;
  }

  /** One command on its own connection; an error reply or a failure to connect is thrown. */
  static Object ok(RedisProcess node, String... args) throws IOException {
    return Resp.once(node.port, args);
  }

  /** Returns once {@code done} holds for the cluster, within {@link Settling#LIMIT}. */
  static void await(String what, Settling.Check done) {
    Settling.await(what, done, () -> "");
  }

  static Object call(RedisProcess node, String... args) {
    try {
      return ok(node, args);
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

}
