package io.memtrace.agent;

import io.memtrace.agent.instrumentation.KnownTypeTransformer;
import io.memtrace.agent.instrumentation.method.RuleMatcher;
import io.memtrace.agent.util.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Lets {@code premain} return before memtrace is ready, and the application's first Redis command
 * wait only for what it needs.
 *
 * <p>This is the only transformer memtrace registers with the JVM, at once in {@code premain}. The
 * classes memtrace knows by name (the Redis clients' connection, batch and command classes) are
 * held until memtrace records and its {@link KnownTypeTransformer} can weave them, which is early
 * in the start: that transformer needs no {@code AgentBuilder}, and it has woven the client's
 * connection class ahead by then (see {@link KnownTypeTransformer#warmUp}), so the thread that
 * waited here takes that class woven instead of weaving it a second time beside memtrace's. Byte Buddy's {@code AgentBuilder},
 * for the memory-manager and task rules, is installed after, on the start thread; its transformer
 * is handed to this gate through {@link #instrumentation(Instrumentation)} instead of being
 * registered itself, and from then on every load and retransformation goes through to it (after
 * the known-type weaving, for a class both apply to). Until it is installed, the classes the
 * {@link RuleMatcher} says a rule names by themselves or by a direct supertype wait for it, so
 * their very first calls are traced (for as long as the install gets on: {@link InstallWait}); every other class
 * loads at once. A class that only an indirect supertype makes a rule's target and that loads in that window is
 * picked up by Byte Buddy's retransformation pass at the end of the install; its calls before then are not traced.
 *
 * <p>With a single registered transformer there is never a doubt whether a class was already
 * transformed, and being retransformation-capable it keeps the JVM's saved original bytes
 * unmodified, so a retransformation applies the advice once.
 */
final class StartupGate implements ClassFileTransformer {

  /** Internal names ({@code redis/clients/jedis/Connection}) of the classes held by name. */
  private final Set<String> named;
  private final RuleMatcher rules;
  /** Opens when the Redis clients' classes can be woven and their events recorded. */
  private final CountDownLatch redisReady = new CountDownLatch(1);
  /**
   * Opens when the rules' transformer is installed, or when there will be none. While it is shut,
   * every class load asks the {@link RuleMatcher}, which is also how a built-in profile joins.
   */
  private final CountDownLatch rulesReady = new CountDownLatch(1);
  /** Classes defined since the gate was registered (a count, not exact: two loads at once may count one). */
  private volatile int loads;
  private volatile KnownTypeTransformer knownTypes;
  private volatile ClassFileTransformer delegate;
  /** How long a held class waits before it loads untraced. */
  private final InstallWait wait;

  /**
   * @param classNames binary names ({@code redis.clients.jedis.Connection}) of classes that an
   *     instrumentation transforms by exact name; empty when that instrumentation is off
   * @param rules the memory-manager and task rules' matcher
   */
  StartupGate(Set<String> classNames, RuleMatcher rules) {
    this(classNames, rules, new InstallWait());
  }

  /** As above, with the held classes' {@code wait}. */
  StartupGate(Set<String> classNames, RuleMatcher rules, InstallWait wait) {
    this.wait = wait;
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
    return instrumentation(jvm, transformer -> { });
  }

  /** As {@link #instrumentation(Instrumentation)}, giving the transformer to {@code beforeHandOver} first. */
  Instrumentation instrumentation(Instrumentation jvm, java.util.function.Consumer<ClassFileTransformer> beforeHandOver) {
    return new HandOverInstrumentation(jvm, this, beforeHandOver);
  }

  /**
   * Asks once what a class load asks while the rules' transformer is not installed (whether the
   * class is held by name, whether a rule may target it), of a class no rule targets, so that the
   * classes it takes ({@code RuleMatcher}'s class-file header reader, the packages never
   * instrumented) are loaded on the thread that registers this gate, before the start thread
   * exists. Otherwise the first class load to ask could be the OpenTelemetry Java agent's, in its
   * {@code premain} on {@code main}, at the moment the start thread defines one of those very
   * classes (building the rules' matchers) and waits inside that agent's transformer: the
   * deadlock {@link TransformerRehearsal} describes.
   */
  void rehearse() {
    // with only a profile waiting to join, the question below stops before the never-instrumented lists: load them
    RuleMatcher.loadNeverInstrumented();
    String name = TransformerRehearsal.CLASS_NAME;
    boolean known = named.contains(name);
    boolean target = rules.mayBeTarget(name, TransformerRehearsal.classFile(name), StartupGate.class.getClassLoader());
    AgentLog.debug("start-up gate rehearsed (" + name + ": held by name " + known + ", a rule's target " + target + ")");
  }

  /**
   * How many classes the JVM has defined since the gate was registered, roughly: while it grows, the application is
   * still starting (a Spring Boot app loads some 7,000 classes on its way to its first request).
   */
  int classesLoaded() {
    return loads;
  }

  /** {@code thread} does what the held classes wait for, from now on: see {@link InstallWait}. */
  void installing(Thread thread) {
    wait.installing(thread);
  }

  /** Byte Buddy's transformer, registered through {@link #instrumentation}. */
  void handOver(ClassFileTransformer transformer) {
    delegate = transformer;
  }

  /**
   * memtrace is recording and {@code transformer} weaves the classes held by name: those may load
   * now, before the rest of the instrumentation is installed.
   */
  void redisReady(KnownTypeTransformer transformer) {
    knownTypes = transformer;
    redisReady.countDown();
  }

  /** The rules' transformer is installed (handed over): classes the rules target may load now. */
  void rulesReady() {
    rulesReady.countDown();
  }

  /** memtrace is recording and fully installed: every class held back may load now. */
  void open() {
    redisReady.countDown();
    rulesReady.countDown();
  }

  /** The start failed or finished: in either case nothing is held back any more. */
  void abandon() {
    open();
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className,
      Class<?> classBeingRedefined, ProtectionDomain domain, byte[] bytes) throws IllegalClassFormatException {
    boolean known = className != null && named.contains(className);
    if (classBeingRedefined == null) {
      loads++; // racy on purpose: it only tells whether the application is still loading classes
    }
    if (classBeingRedefined == null && loader != null && className != null) {
      CountDownLatch latch = known ? redisReady
          : rulesReady.getCount() != 0 && rules.mayBeTarget(className, bytes, loader) ? rulesReady : null;
      if (latch != null) {
        wait.await(latch, className);
      }
    }
    byte[] result = null;
    KnownTypeTransformer weaver = knownTypes;
    if (known && weaver != null) {
      result = weaver.transform(module, loader, className, classBeingRedefined, domain, bytes);
    }
    ClassFileTransformer transformer = delegate;
    if (transformer != null) {
      byte[] more = transformer.transform(module, loader, className, classBeingRedefined, domain,
          result == null ? bytes : result);
      result = more == null ? result : more;
    }
    return result;
  }
}
