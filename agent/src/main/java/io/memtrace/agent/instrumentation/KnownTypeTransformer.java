package io.memtrace.agent.instrumentation;

import io.memtrace.agent.instrumentation.method.RuleMatcher;
import io.memtrace.agent.util.AgentLog;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Weaves the {@link KnownTypes} into the classes they name, as Byte Buddy's {@code AgentBuilder}
 * would (decorating the class, its advice inlined, no class format change, types described from
 * class files with the {@link LoadedTypeFallback}), but without one.
 *
 * <p>Why not the {@code AgentBuilder}: making one generates a class of its own at start and loads
 * some 850 classes before it can transform anything (measured: about 1 s of a start thread's CPU
 * on a busy 2-core machine), and its matchers then look at every class the application loads. A
 * Redis client's first command waited for all of that. Here a class is passed over by a lookup of
 * its name, and only the few named classes are described; nothing is set up before the first of
 * them loads.
 *
 * <p>What it makes of a class file is kept in a {@link WovenClassCache}, and a later start with the
 * same agent jar takes it from there without loading Byte Buddy. That answer depends on the class
 * file alone: the marker class that decides a version family ships in the same jar as the classes
 * the family weaves, and where two families could both match a class they weave it alike.
 */
public final class KnownTypeTransformer {

  /**
   * The cache's entry that says an earlier start of this agent jar rehearsed on the stand-in (the cache is the jar's
   * own, and the stand-in is the same for every start of it).
   */
  private static final String STAND_IN_SOURCE = "memtrace-stand-in";
  private static final String STAND_IN_REHEARSED = "memtrace/stand-in/Rehearsed";
  private static final byte[] NO_BYTES = new byte[0];

  private final Set<String> internalNames;
  /** Classes whose matchers must be asked at every load (a notice's), so never answered from the cache. */
  private final Set<String> alwaysAsked;
  private final Supplier<KnownTypes> types;
  private final WovenClassCache cache;
  /** Byte Buddy and the transformations, made when a class is not in the cache. */
  private volatile KnownTypeWeaver weaver;
  /** The weaving {@link #warmUp} did, until the class it wove loads (or is found not to). */
  private volatile Rehearsal rehearsal;

  private KnownTypeTransformer(Set<String> classNames, Set<String> alwaysAsked, Supplier<KnownTypes> types,
      WovenClassCache cache) {
    this.internalNames = internal(classNames);
    this.alwaysAsked = internal(alwaysAsked);
    this.types = types;
    this.cache = cache;
  }

  KnownTypeTransformer(Set<String> classNames, List<KnownTypes.Entry> entries) {
    this(classNames, Set.of(), () -> null, WovenClassCache.NONE);
    this.weaver = new KnownTypeWeaver(entries);
  }

  /**
   * A transformer that answers from {@code cache} where it can and makes {@code types}, and with
   * them Byte Buddy, only for a class the cache does not know. The classes of {@code alwaysAsked}
   * are matched at every load.
   */
  public static KnownTypeTransformer deferred(Set<String> classNames, Set<String> alwaysAsked,
      Supplier<KnownTypes> types, WovenClassCache cache) {
    return new KnownTypeTransformer(classNames, alwaysAsked, types, cache);
  }

  private static Set<String> internal(Set<String> classNames) {
    Set<String> internal = new HashSet<>();
    for (String name : classNames) {
      internal.add(name.replace('.', '/'));
    }
    return Set.copyOf(internal);
  }

  /** Whether {@code internalName} ({@code redis/clients/jedis/Connection}) is a class it may weave. */
  public boolean names(String internalName) {
    return internalName != null && internalNames.contains(internalName);
  }

  /**
   * The woven class file, or {@code null} to leave the class as it is (not a known class, no
   * matcher said yes, or weaving failed, which is reported once per class). Never throws.
   */
  public byte[] transform(Module module, ClassLoader loader, String internalName,
      Class<?> classBeingRedefined, ProtectionDomain domain, byte[] bytes) {
    return transform(module, loader, internalName, classBeingRedefined, domain, bytes, true);
  }

  private byte[] transform(Module module, ClassLoader loader, String internalName,
      Class<?> classBeingRedefined, ProtectionDomain domain, byte[] bytes, boolean report) {
    if (loader == null || !names(internalName) || RuleMatcher.neverInstrumentedLoaders().matches(loader)) {
      return null;
    }
    Rehearsal done = rehearsal;
    if (done != null && classBeingRedefined == null && done.isFor(loader, internalName)) {
      rehearsal = null; // a class loads once per loader: it will not be asked for again
      if (done.sameInput(bytes)) {
        AgentLog.debug("instrumented " + internalName.replace('/', '.') + " (woven ahead, on memtrace's start thread)");
        return done.woven();
      }
    }
    boolean cacheable = !alwaysAsked.contains(internalName);
    String source = cacheable ? source(loader, internalName) : "";
    byte[] kept = cacheable ? cache.find(source, internalName, bytes) : null;
    if (kept != null) {
      if (report) {
        AgentLog.debug("instrumented " + internalName.replace('/', '.') + " (" + (kept.length == 0 ? "unchanged" : "woven")
            + " in an earlier start, from the cache)");
      }
      return kept.length == 0 ? null : kept;
    }
    KnownTypeWeaver.Result result = weaver().weave(module, loader, internalName, classBeingRedefined, domain, bytes, report);
    if (cacheable && result.lasting) {
      cache.keep(source, internalName, bytes, result.woven);
    }
    return result.woven;
  }

  /** Where {@code loader} finds the class file: the jar, and so the client's release, it came from. */
  private static String source(ClassLoader loader, String internalName) {
    try {
      java.net.URL url = loader.getResource(internalName + ".class");
      return url == null ? "" : url.toString();
    } catch (RuntimeException e) {
      return "";
    }
  }

  private KnownTypeWeaver weaver() {
    KnownTypeWeaver made = weaver;
    if (made == null) {
      synchronized (this) {
        made = weaver;
        if (made == null) {
          made = new KnownTypeWeaver(types.get().entries());
          weaver = made;
        }
      }
    }
    return made;
  }

  /**
   * Weaves the first of {@code classNames} whose class file the system class loader can see,
   * without loading it, and keeps the result for when that loader defines the class from the same
   * bytes: the application thread that loads it then takes the woven class as it is. Where none is
   * visible (no Redis client on the class path, or one nested in a fat jar that a framework's
   * loader finds later), weaves a stand-in from {@code standIns} instead and throws the result away.
   * Either way Byte Buddy's advice and type-pool classes (some 450) are loaded, and begin to be
   * compiled, on the calling thread (memtrace's start thread) while the application is still
   * starting, instead of on the application thread that first loads a Redis client's class; unless
   * the cache has the class (or the stand-in) from an earlier start, when none of them is loaded at
   * all. The stand-in is then not even made: the cache notes that this jar rehearsed on it. Where the bytes differ
   * when the class loads (another agent transformed it first), it is woven then, as it would have
   * been.
   */
  public void warmUp(List<String> classNames, Supplier<StandInClasses> standIns) {
    ClassLoader system = ClassLoader.getSystemClassLoader();
    long started = System.nanoTime();
    try {
      for (String name : classNames) {
        String internalName = name.replace('.', '/');
        try (java.io.InputStream in = system.getResourceAsStream(internalName + ".class")) {
          if (in != null) {
            byte[] bytes = in.readAllBytes();
            byte[] woven = transform(null, system, internalName, null, null, bytes, false);
            if (woven != null) {
              rehearsal = new Rehearsal(system, internalName, bytes, woven);
            }
            AgentLog.debug("wove " + name + " ahead in " + millisSince(started) + " ms");
            return;
          }
        }
      }
      if (cache.find(STAND_IN_SOURCE, STAND_IN_REHEARSED, NO_BYTES) != null) {
        // an earlier start of this agent jar rehearsed it: the stand-in's weaving would come from the cache too,
        // which warms nothing, so neither it nor ASM, which makes it, is loaded
        AgentLog.debug("stand-in rehearsal skipped: an earlier start kept its weaving");
        return;
      }
      StandInClasses standIn = standIns.get(); // generated: made only when the class path has no client
      transform(null, standIn, standIn.wovenName(), null, null, standIn.wovenClassFile(), false);
      cache.keep(STAND_IN_SOURCE, STAND_IN_REHEARSED, NO_BYTES, null);
      AgentLog.debug("rehearsed weaving on a stand-in in " + millisSince(started) + " ms");
    } catch (java.io.IOException | RuntimeException e) {
      AgentLog.debug("warm-up skipped: " + e);
    }
  }

  static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /**
   * Retransforms the named classes already loaded (memtrace attached to a running JVM), so that
   * they are woven through the transformer that calls {@link #transform}.
   */
  public void retransformLoaded(Instrumentation inst) {
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> type : inst.getAllLoadedClasses()) {
      if (names(type.getName().replace('.', '/')) && inst.isModifiableClass(type)) {
        loaded.add(type);
      }
    }
    for (Class<?> type : loaded) {
      try {
        inst.retransformClasses(type);
      } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
        AgentLog.warnOnce("transform-" + type.getName(), "could not instrument " + type.getName()
            + "; it runs unchanged: " + e, e);
      }
    }
  }
}
