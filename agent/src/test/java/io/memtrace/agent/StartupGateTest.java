package io.memtrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.instrumentation.method.RuleMatcher;
import io.memtrace.agent.instrumentation.method.Rules;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class StartupGateTest {

  private static final byte[] TRANSFORMED = {1, 2, 3};

  /** Byte Buddy's place: records what it was asked to transform and answers {@link #TRANSFORMED}. */
  static final class RecordingTransformer implements ClassFileTransformer {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className,
        Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
      seen.add(className + (redefined == null ? "" : " (retransform)"));
      return TRANSFORMED;
    }
  }

  private static final String CONNECTION = "redis.clients.jedis.Connection";
  private static final RuleMatcher NO_RULES = new RuleMatcher(List.of());

  private static byte[] load(StartupGate gate, String className, byte[] bytes) throws Exception {
    return gate.transform(null, StartupGateTest.class.getClassLoader(), className, null, null, bytes);
  }

  private static RuleMatcher task(String type) {
    return Rules.matcher("tasks:", "  - { type: '" + type + "', method: run, span: run }");
  }

  private static byte[] classBytes(Class<?> type) throws IOException {
    try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  @Nested
  class BeforeTheInstall {

    @Test
    void shouldLetOrdinaryClassesLoadUnchangedAndAtOnce() throws Exception {
      StartupGate gate = new StartupGate(Set.of(CONNECTION), Rules.matcher(
          "memory-managers:", "  - { type: com.acme.*Memory, methods: [{ name: get, operation: retrieve }] }"));
      assertThat(load(gate, "com/example/Main", classBytes(StartupGateTest.class))).isNull();
    }

    @Test
    void shouldHoldJedisConnectionBackUntilMemtraceRecordsThenTransformIt() throws Exception {
      StartupGate gate = new StartupGate(Set.of(CONNECTION), NO_RULES);
      RecordingTransformer byteBuddy = new RecordingTransformer();
      CompletableFuture<byte[]> loading = CompletableFuture.supplyAsync(unchecked(
          () -> load(gate, "redis/clients/jedis/Connection", new byte[0])));
      // Byte Buddy is registered but memtrace is not recording yet: still held
      gate.instrumentation(noInstrumentation()).addTransformer(byteBuddy, true);
      assertThat(loading).as("held until memtrace records").isNotDone();
      gate.open();
      assertThat(loading.get(10, TimeUnit.SECONDS)).isEqualTo(TRANSFORMED);
      assertThat(byteBuddy.seen).containsExactly("redis/clients/jedis/Connection");
    }

    @Test
    void shouldLetTheRedisClientsLoadOnceTheyCanBeWovenWhileRuleTargetsStillWait() throws Exception {
      StartupGate gate = new StartupGate(Set.of(CONNECTION), task("com.acme.Named"));
      CompletableFuture<byte[]> connection = CompletableFuture.supplyAsync(unchecked(
          () -> load(gate, "redis/clients/jedis/Connection", new byte[0])));
      CompletableFuture<byte[]> ruleTarget = CompletableFuture.supplyAsync(unchecked(
          () -> load(gate, "com/acme/Named", classBytes(Named.class))));
      Thread.sleep(200); // time enough to load, were they not held
      assertThat(connection).as("memtrace does not record yet").isNotDone();

      gate.redisReady(new io.memtrace.agent.instrumentation.KnownTypes().transformer(Set.of()));
      assertThat(connection.get(10, TimeUnit.SECONDS)).as("nothing to weave it with here").isNull();
      Thread.sleep(200);
      assertThat(ruleTarget).as("the rules' transformer is not installed yet").isNotDone();

      gate.rulesReady();
      assertThat(ruleTarget.get(10, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void shouldNotHoldJedisWhenRedisTracingIsOff() throws Exception {
      StartupGate gate = new StartupGate(Set.of(), NO_RULES);
      assertThat(load(gate, "redis/clients/jedis/Connection", new byte[0])).isNull();
    }

    @Test
    void shouldHoldAClassARuleNamesOrWhoseDirectSupertypeItNames() throws Exception {
      // the class loads as com.acme.Named: memtrace's own package is never held
      StartupGate byName = new StartupGate(Set.of(), task("com.acme.Named"));
      StartupGate bySupertype = new StartupGate(Set.of(), task(Marker.class.getName()));
      for (StartupGate gate : List.of(byName, bySupertype)) {
        CompletableFuture<byte[]> loading = CompletableFuture.supplyAsync(unchecked(
            () -> load(gate, "com/acme/Named", classBytes(Named.class))));
        Thread.sleep(200); // time enough to load, were it not held
        assertThat(loading).isNotDone();
        gate.abandon(); // the start failed: the class loads, unchanged
        assertThat(loading.get(10, TimeUnit.SECONDS)).isNull();
      }
    }

    @Test
    void shouldNeverHoldMemtracesOwnClassesEvenUnderABroadRule() throws Exception {
      StartupGate gate = new StartupGate(Set.of(), task("io.*"));
      assertThat(load(gate, "io/memtrace/agent/metrics/MemoryMetrics", new byte[0])).isNull();
    }

    @Test
    void shouldGiveClassesThatLoadAfterTheHandOverToByteBuddy() throws Exception {
      StartupGate gate = new StartupGate(Set.of(CONNECTION), NO_RULES);
      RecordingTransformer byteBuddy = new RecordingTransformer();
      gate.handOver(byteBuddy);
      assertThat(load(gate, "com/example/Other", new byte[0])).isEqualTo(TRANSFORMED);
    }
  }

  /** How long a held class waits: as long as the install gets on, within a limit; windows short for the test. */
  @Nested
  class WhileTheInstallTakesLong {

    private static final long STALL_MILLIS = 300;

    private final AtomicBoolean opened = new AtomicBoolean();
    private final StartupGate gate = new StartupGate(Set.of(), task("com.acme.Named"),
        new InstallWait(STALL_MILLIS, 60_000));

    /** Loads the rule's target as an application thread would; says whether the gate had opened when it returned. */
    private CompletableFuture<Boolean> loadTarget() {
      return CompletableFuture.supplyAsync(unchecked(() -> {
        load(gate, "com/acme/Named", classBytes(Named.class));
        return opened.get();
      }));
    }

    private void open() {
      opened.set(true);
      gate.rulesReady();
    }

    @Test
    void shouldWaitForAnInstallThatIsSlowButGettingOn() throws Exception {
      // an installer on a starved CPU: runnable all along, done only after several of the windows a stuck one gets
      Thread installer = new Thread(() -> {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5 * STALL_MILLIS);
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        open();
      }, "test-installer");
      gate.installing(installer);
      CompletableFuture<Boolean> loading = loadTarget();
      installer.start();

      assertThat(loading.get(30, TimeUnit.SECONDS)).as("loaded only once the install was done").isTrue();
    }

    @Test
    void shouldGiveUpOnAnInstallThatIsNotGettingOn() throws Exception {
      CountDownLatch never = new CountDownLatch(1);
      Thread installer = new Thread(() -> {
        awaitQuietly(never); // stuck, as on a lock another agent holds
        open();
      }, "test-installer");
      gate.installing(installer);
      installer.start();
      try {
        assertThat(loadTarget().get(30, TimeUnit.SECONDS)).as("loaded, untraced, while the install was stuck").isFalse();
      } finally {
        never.countDown();
      }
    }

    @Test
    void shouldGiveUpOnTheInstallingThreadHeldItself() throws Exception {
      CompletableFuture<Boolean> loading = CompletableFuture.supplyAsync(unchecked(() -> {
        gate.installing(Thread.currentThread()); // runnable to itself, but waiting here it installs nothing
        load(gate, "com/acme/Named", classBytes(Named.class));
        return opened.get();
      }));
      // a hang guard below the 60 s limit, which it reached before
      assertThat(loading.get(30, TimeUnit.SECONDS)).as("loaded, untraced, never opened").isFalse();
    }

    @Test
    void shouldGiveUpAtTheLimitOnAnInstallThatNeverEnds() throws Exception {
      StartupGate limited = new StartupGate(Set.of(), task("com.acme.Named"), new InstallWait(STALL_MILLIS, 1_000));
      AtomicBoolean stop = new AtomicBoolean();
      Thread installer = new Thread(() -> {
        while (!stop.get()) {
          Thread.onSpinWait(); // runnable for ever
        }
      }, "test-installer");
      limited.installing(installer);
      installer.start();
      try {
        assertThat(load(limited, "com/acme/Named", classBytes(Named.class))).as("loaded unchanged").isNull();
        assertThat(installer.isAlive()).as("while the install still ran").isTrue();
      } finally {
        stop.set(true);
      }
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Nested
  class AfterTheInstall {

    @Test
    void shouldPassEveryLoadAndRetransformationToByteBuddy() throws Exception {
      StartupGate gate = new StartupGate(Set.of(CONNECTION), NO_RULES);
      RecordingTransformer byteBuddy = new RecordingTransformer();
      Instrumentation handOver = gate.instrumentation(noInstrumentation());
      handOver.addTransformer(byteBuddy, true);
      gate.open();
      assertThat(load(gate, "redis/clients/jedis/Connection", new byte[0])).isEqualTo(TRANSFORMED);
      assertThat(gate.transform(null, null, "java/lang/Thread", Thread.class, null, new byte[0]))
          .isEqualTo(TRANSFORMED);
      assertThat(byteBuddy.seen).containsExactly("redis/clients/jedis/Connection",
          "java/lang/Thread (retransform)");
      assertThat(handOver.removeTransformer(byteBuddy)).as("memtrace never resets").isFalse();
    }
  }

  interface Marker {
  }

  static final class Named implements Marker, Serializable {
    private static final long serialVersionUID = 1L;
  }

  private static <T> Supplier<T> unchecked(Callable<T> call) {
    return () -> {
      try {
        return call.call();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  interface Callable<T> {
    T call() throws Exception;
  }

  /** The JVM's side is not needed by these tests; anything reaching it fails the test. */
  private static Instrumentation noInstrumentation() {
    return (Instrumentation) java.lang.reflect.Proxy.newProxyInstance(Instrumentation.class.getClassLoader(),
        new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
          throw new UnsupportedOperationException(method.getName());
        });
  }
}
