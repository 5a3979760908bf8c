package io.memtrace.agent.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Redis Cluster masters a client last learnt of, from the {@code CLUSTER SLOTS} replies it read (Jedis asks at
 * start and after each {@code MOVED}): each slot range names its master first, then its replicas. A client that reads
 * from replicas may say {@code READONLY} on every connection, masters included (Jedis's
 * {@code readOnlyForRedisClusterReplicas}), so READONLY alone does not make a connection a replica's. Consumer thread
 * only.
 */
final class ClusterMasters {

  private final Set<String> masters = new HashSet<>();

  /** Takes the masters of a {@code CLUSTER SLOTS} reply, replacing what an older one said; false if it is not one. */
  boolean learn(Object slotsReply) {
    if (!(slotsReply instanceof List) || ((List<?>) slotsReply).isEmpty()) {
      return false;
    }
    Set<String> found = new HashSet<>();
    for (Object range : (List<?>) slotsReply) {
      if (!(range instanceof List) || ((List<?>) range).size() < 3 || !(((List<?>) range).get(2) instanceof List)) {
        return false;
      }
      List<?> master = (List<?>) ((List<?>) range).get(2);
      if (master.size() < 2 || !(master.get(1) instanceof Long)) {
        return false;
      }
      found.add(address(text(master.get(0)), (Long) master.get(1)));
    }
    masters.clear();
    masters.addAll(found);
    return true;
  }

  boolean isMaster(String host, long port) {
    return !masters.isEmpty() && host != null && masters.contains(address(host, port));
  }

  private static String address(String host, long port) {
    return host + ":" + port;
  }

  private static String text(Object value) {
    return value instanceof byte[] ? new String((byte[]) value, StandardCharsets.UTF_8) : String.valueOf(value);
  }
}
