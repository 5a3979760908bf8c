package io.memtrace.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Finds the {@link PendingCommands} of a connection by the connection's identity, holding the
 * connection only weakly. memtrace adds no field to the client's classes (another agent, or a
 * class retransformed after attach, must see them unchanged), so the state lives here instead.
 *
 * <p>An open-addressing table of the states themselves (each is a weak reference to its
 * connection). Lookups take no lock and allocate nothing: they read a published table. Adding a
 * connection, once in its life, takes the lock; when the table fills up it is rebuilt without the
 * states of collected connections, whose unanswered commands are then counted as dropped.
 */
public final class ConnectionRegistry {

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(PendingCommands[].class);
  private static final int INITIAL_CAPACITY = 64;

  private volatile PendingCommands[] table = new PendingCommands[INITIAL_CAPACITY];
  /** Slots used in {@link #table}, collected connections included; guarded by {@code this}. */
  private int used;

  /** The state of {@code connection}, or {@code null} if it never sent a command. */
  public PendingCommands find(Object connection) {
    return find(table, connection, System.identityHashCode(connection));
  }

  /** The state of {@code connection}, made on its first command. */
  public PendingCommands findOrAdd(Object connection) {
    int hash = System.identityHashCode(connection);
    PendingCommands found = find(table, connection, hash);
    return found != null ? found : add(connection, hash);
  }

  private static PendingCommands find(PendingCommands[] t, Object connection, int hash) {
    int mask = t.length - 1;
    for (int i = spread(hash) & mask, probes = 0; probes < t.length; i = (i + 1) & mask, probes++) {
      PendingCommands state = (PendingCommands) SLOT.getAcquire(t, i);
      if (state == null) {
        return null;
      }
      if (state.hash == hash && state.get() == connection) {
        return state;
      }
    }
    return null;
  }

  private synchronized PendingCommands add(Object connection, int hash) {
    PendingCommands found = find(table, connection, hash);
    if (found != null) {
      return found;
    }
    if (used + 1 > table.length / 2) {
      rebuild();
    }
    PendingCommands state = new PendingCommands(connection);
    insert(table, state);
    used++;
    return state;
  }

  /** Copies the live states into a fresh table (twice as big if they fill a quarter of it). */
  private void rebuild() {
    PendingCommands[] old = table;
    int live = 0;
    for (PendingCommands state : old) {
      if (state != null && state.get() != null) {
        live++;
      }
    }
    PendingCommands[] fresh = new PendingCommands[live + 1 > old.length / 4 ? old.length * 2 : old.length];
    for (PendingCommands state : old) {
      if (state == null) {
        continue;
      }
      if (state.get() != null) {
        insert(fresh, state);
      } else {
        long lost = state.discardAll(RedisHooks.handshakesRecorded());
        if (lost > 0) {
          Bridge.sink().countDropped(lost); // their replies can no longer be read
        }
      }
    }
    used = live;
    table = fresh;
  }

  private static void insert(PendingCommands[] t, PendingCommands state) {
    int mask = t.length - 1;
    int i = spread(state.hash) & mask;
    while (t[i] != null) {
      i = (i + 1) & mask;
    }
    SLOT.setRelease(t, i, state);
  }

  /** Connections known, for tests. */
  synchronized int size() {
    return used;
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }
}
