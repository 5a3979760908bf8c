package io.memtrace.agent.pipeline;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * A map keyed by object identity that holds its keys weakly: the provenance index must neither keep
 * an application's messages alive nor confuse two equal messages of two conversations ({@code
 * WeakHashMap} compares with {@code equals}). Bounded: past {@code limit} entries it starts afresh
 * (provenance is best effort, memory is not). Consumer thread only.
 */
final class WeakIdentityMap<V> {

  private final Map<Key, V> map = new HashMap<>();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
  private final int limit;
  /** A reusable probe: lookups allocate nothing. */
  private final Probe probe = new Probe();

  WeakIdentityMap(int limit) {
    this.limit = limit;
  }

  void put(Object key, V value) {
    expunge();
    if (map.size() >= limit) {
      map.clear();
    }
    map.put(new Key(key, collected), value);
  }

  V get(Object key) {
    if (key == null) {
      return null;
    }
    probe.referent = key;
    probe.hash = System.identityHashCode(key);
    try {
      return map.get(probe);
    } finally {
      probe.referent = null;
    }
  }

  int size() {
    expunge();
    return map.size();
  }

  private void expunge() {
    for (Object ref; (ref = collected.poll()) != null; ) {
      map.remove(ref);
    }
  }

  /** What both key kinds answer: the identity hash and the object, if still there. */
  private interface Identity {
    Object object();
  }

  private static final class Key extends WeakReference<Object> implements Identity {
    private final int hash;

    Key(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public Object object() {
      return get();
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (other == this) {
        return true;
      }
      if (!(other instanceof Identity)) {
        return false;
      }
      Object mine = get();
      return mine != null && mine == ((Identity) other).object();
    }
  }

  private static final class Probe implements Identity {
    Object referent;
    int hash;

    @Override
    public Object object() {
      return referent;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Identity && ((Identity) other).object() == referent && referent != null;
    }
  }
}
