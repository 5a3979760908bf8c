package io.memtrace.bench.topology;

import java.util.Locale;

/** The Redis deployments {@code TopologyCommandBench} measures a client against, all on loopback. */
public enum Topology {
  /** One {@code redis-server}. */
  STANDALONE,
  /** Three masters and three replicas; every command goes to the key's master. */
  CLUSTER,
  /** A primary, two replicas and three Sentinels; the client finds the primary through the Sentinels. */
  SENTINEL,
  /** The Sentinel deployment, but GETs are read from a replica (SETs still go to the primary). */
  REPLICA,
  /** One {@code redis-server} on a TLS port only, its certificate trusted through a trust store. */
  TLS;

  /** The {@code @Param} spelling ({@code standalone}, {@code cluster} …). */
  public static Topology of(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
