package io.memtrace.bench;

import io.memtrace.bench.topology.CommandClient;
import io.memtrace.bench.topology.Servers;
import io.memtrace.bench.topology.Topology;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One SET and one GET per operation, through a client's sync API, against real {@code redis-server}s on loopback
 * in each {@link Topology}: what the agent adds per command where the network, the client's routing and TLS are
 * real, unlike {@link JedisCommandBench}'s fake socket. The servers are started in the fork for its trial (so that
 * nothing outlives a fork and the launcher stays a plain JMH runner) and stopped in its tear-down.
 * {@link OverheadBench} runs it without and with the agent when {@code bench.include} names it.
 *
 * <p>Each trial first checks that the client works (the GET returns what the SET wrote; on {@code replica}, that
 * the GETs reached a replica and not the primary), and with the agent that memtrace put at least its events for
 * every command into its ring: a cell the agent does not trace fails instead of reporting a small overhead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class TopologyCommandBench {

  /** Operations of the set-up checks. */
  private static final int CHECK_OPS = 20;

  @Param({"jedis", "lettuce", "redisson"})
  public String client;

  @Param({"standalone", "cluster", "sentinel", "replica", "tls"})
  public String topology;

  private Servers servers;
  private CommandClient commands;

  @Setup(Level.Trial)
  public void start() throws IOException, InterruptedException {
    servers = Servers.start(Topology.of(topology));
    try {
      commands = CommandClient.open(client, servers);
      awaitRead();
      if (servers.topology == Topology.REPLICA) {
        checkReadsFromReplica();
      }
      String cell = client + " on " + topology;
      AgentCheck.verifyTraced(cell, this::checkOps, 2L * CHECK_OPS * commands.eventsPerCommand(),
          System.getProperty(JedisCommandBench.EXPECT_AGENT));
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      stop();
      throw e;
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    try {
      if (commands != null) {
        commands.close();
      }
    } finally {
      servers.close();
    }
  }

  /** One SET, then one GET of the same key (on {@code replica}, possibly answered before it has replicated). */
  @Benchmark
  public String topologyGetSet(JedisCommandBench.AppThreadCounters counters) {
    counters.ops++;
    commands.set(JedisCommandBench.KEY, JedisCommandBench.VALUE);
    return commands.get(JedisCommandBench.KEY);
  }

  private void checkOps() {
    for (int i = 0; i < CHECK_OPS; i++) {
      commands.set(JedisCommandBench.KEY, JedisCommandBench.VALUE);
      commands.get(JedisCommandBench.KEY);
    }
  }

  /** The SET is read back (from a replica once it has replicated), within five seconds. */
  private void awaitRead() throws InterruptedException {
    if (!"OK".equals(commands.set(JedisCommandBench.KEY, JedisCommandBench.VALUE))) {
      throw new IllegalStateException(client + " on " + topology + ": SET did not answer OK");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!JedisCommandBench.VALUE.equals(commands.get(JedisCommandBench.KEY))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(client + " on " + topology + ": GET does not return what SET wrote");
      }
      Thread.sleep(10);
    }
  }

  /** On {@code replica}: every GET of a few operations went to a replica, none to the primary. */
  private void checkReadsFromReplica() throws IOException {
    int primary = servers.primaryPort();
    List<Integer> replicas = servers.replicaPorts();
    long primaryBefore = Servers.getCalls(primary);
    long replicasBefore = 0;
    for (int port : replicas) {
      replicasBefore += Servers.getCalls(port);
    }
    checkOps();
    long primaryGets = Servers.getCalls(primary) - primaryBefore;
    long replicaGets = -replicasBefore;
    for (int port : replicas) {
      replicaGets += Servers.getCalls(port);
    }
    if (primaryGets != 0 || replicaGets < CHECK_OPS) {
      throw new IllegalStateException(client + " on replica: of " + CHECK_OPS + " GETs, " + primaryGets
          + " reached the primary and " + replicaGets + " the replicas");
    }
  }
}
