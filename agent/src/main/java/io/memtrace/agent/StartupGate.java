package io.memtrace.agent;

import io.memtrace.agent.instrumentation.method.RuleMatcher;
import io.memtrace.agent.util.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets {@code premain} return before Byte Buddy is ready. Installing the instrumentation costs
 * about 0.4 s of class loading (measured: 412–429 ms for ~940 Byte Buddy classes on this 2-core
 * machine), which used to be added to every JVM start; it now runs on a background thread while
 * the application starts.
 *
 * <p>This is the only transformer memtrace registers with the JVM, at once in {@code premain}.
 * Byte Buddy's transformer is handed to it through {@link #instrumentation(Instrumentation)}
 * instead of being registered itself, and from then on every load and retransformation goes
 * through to it. Before that, the classes memtrace instruments (those an instrumentation names
 * exactly, such as the Jedis connection and batch classes, and those the {@link RuleMatcher} says a
 * memory-manager or task rule names by themselves or by a direct supertype) wait for it, so their very first calls are traced; every other class loads at once. A
 * class that only an indirect supertype makes a rule's target and that loads in that window is
 * picked up by Byte Buddy's retransformation pass at the end of the install; its calls before
 * then are not traced.
 *
 * <p>With a single registered transformer there is never a doubt whether a class was already
 * transformed, and being retransformation-capable it keeps the JVM's saved original bytes
 * unmodified, so a retransformation applies the advice once.
 */
final class StartupGate implements ClassFileTransformer {

  /** The longest an application thread waits for the install before loading a class untraced. */
  static final long MAX_WAIT_MILLIS = 10_000;

  /** Internal names ({@code redis/clients/jedis/Connection}) of the classes held by name. */
  private final Set<String> named;
  private final RuleMatcher rules;
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile ClassFileTransformer delegate;

  /**
   * @param classNames binary names ({@code redis.clients.jedis.Connection}) of classes that an
   *     instrumentation transforms by exact name; empty when that instrumentation is off
   * @param rules the memory-manager and task rules' matcher
   */
  StartupGate(Set<String> classNames, RuleMatcher rules) {
    Set<String> internal = new HashSet<>();
    for (String name : classNames) {
      internal.add(name.replace('.', '/'));
    }
    this.named = Set.copyOf(internal);
    this.rules = rules;
  }

  /**
   * An {@link Instrumentation} for Byte Buddy's {@code installOn}: registering a transformer on it
   * hands that transformer to this gate; everything else (the retransformation pass included)
   * goes to the JVM's.
   */
  Instrumentation instrumentation(Instrumentation jvm) {
    return new HandOverInstrumentation(jvm, this);
  }

  /** Byte Buddy's transformer, registered through {@link #instrumentation}. */
  void handOver(ClassFileTransformer transformer) {
    delegate = transformer;
  }

  /** memtrace is recording: classes held back may load now. */
  void open() {
    ready.countDown();
  }

  /** The start failed or finished: in either case nothing is held back any more. */
  void abandon() {
    ready.countDown();
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className,
      Class<?> classBeingRedefined, ProtectionDomain domain, byte[] bytes) throws IllegalClassFormatException {
    if (ready.getCount() == 0 || classBeingRedefined != null || loader == null || className == null
        || !isTarget(className, bytes, loader)) {
      ClassFileTransformer transformer = delegate;
      return transformer == null ? null
          : transformer.transform(module, loader, className, classBeingRedefined, domain, bytes);
    }
    try {
      if (!ready.await(MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        AgentLog.warnOnce("startup-gate", "memtrace was not ready after " + MAX_WAIT_MILLIS
            + " ms; " + className.replace('/', '.') + " loads now and may not be traced", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ClassFileTransformer transformer = delegate;
    return transformer == null ? null
        : transformer.transform(module, loader, className, null, domain, bytes);
  }

  /** Whether this initial load is of a class memtrace instruments; never throws. */
  private boolean isTarget(String internalName, byte[] bytes, ClassLoader loader) {
    return named.contains(internalName) || rules.mayBeTarget(internalName, bytes, loader);
  }
}
