package io.memtrace.testsupport.redis;

import io.memtrace.testsupport.SteppedProgram;
import java.io.IOException;
import java.util.List;

/**
 * What the cluster tests do to a {@link RedisCluster} at the steps their programs stop at: move ten keys of the slot
 * of {@code {mig-RUN}} to another master (the program gets {@code ASK} for them), finish that migration (then
 * {@code MOVED}), and fail the master of {@code {fo-RUN}} over, {@code RUN} being the run's name, which the program
 * puts in its keys so that each run reshapes a slot of its own.
 */
public final class ClusterReshaping implements SteppedProgram.Step {

  /** The steps, in the order the programs stop at them. */
  public static final List<String> STEPS = List.of("migrate-half", "migrate-finish", "failover");

  private final RedisCluster cluster;
  private final String run;
  private SlotMigration migration;
  private int reshardedFrom;
  private int demoted;

  public ClusterReshaping(RedisCluster cluster, String run) {
    this.cluster = cluster;
    this.run = run;
  }

  @Override
  public void run(String step) throws IOException {
    if (step.equals("migrate-half")) {
      int slot = ClusterSlots.of("{mig-" + run + "}");
      RedisProcess from = cluster.ownerOfSlot(slot);
      RedisProcess to = cluster.masters().stream().filter(m -> m != from).findFirst().orElseThrow();
      migration = cluster.beginMigration(slot, from, to);
      reshardedFrom = from.port;
      int moved = migration.moveKeys(10);
      if (moved != 10) {
        throw new AssertionError("moved " + moved + " keys of slot " + slot + " where the program wrote 10");
      }
    } else if (step.equals("migrate-finish")) {
      migration.finish();
    } else if (step.equals("failover")) {
      RedisProcess master = cluster.ownerOf("{fo-" + run + "}");
      cluster.failover(master);
      demoted = master.port;
    } else {
      throw new IllegalArgumentException("no step " + step + "; the steps are " + STEPS);
    }
  }

  /** The port of the master the resharding took the slot from. */
  public int reshardedFrom() {
    return reshardedFrom;
  }

  /** The port of the master the failover demoted to a replica. */
  public int demoted() {
    return demoted;
  }
}
