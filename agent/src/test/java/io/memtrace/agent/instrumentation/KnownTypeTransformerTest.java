package io.memtrace.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.instrumentation.jedis.JedisInstrumentation;
import io.memtrace.agent.instrumentation.jedis.common.JedisStandIn;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import org.junit.jupiter.api.Test;

public class KnownTypeTransformerTest {

  /** What {@link CallAdvice} saw; static, since the woven class calls it directly. */
  public static final List<String> CALLS = new CopyOnWriteArrayList<>();

  public static final class Target implements Runnable {
    @Override
    public void run() {
      CALLS.add("run");
    }
  }

  public static final class CallAdvice {
    @Advice.OnMethodEnter
    static void enter(@Advice.Origin("#m") String method) {
      KnownTypeTransformerTest.CALLS.add("advice " + method);
    }
  }

  private static final String TARGET = Target.class.getName();
  private static final String INTERNAL = TARGET.replace('.', '/');
  private static final AgentBuilder.Transformer WEAVE =
      (builder, type, loader, module, domain) -> builder.visit(Advice.to(CallAdvice.class).on(named("run")));

  @Test
  void shouldWeaveANamedClassWhereItsMatcherSaysYes() throws Exception {
    KnownTypeTransformer transformer = new KnownTypes()
        .transform((type, loader, module, redefined, domain) -> type.getName().equals(TARGET), WEAVE)
        .transformer(Set.of(TARGET));
    byte[] woven = transformer.transform(null, loader(), INTERNAL, null, null, classBytes());

    assertThat(woven).isNotNull();
    CALLS.clear();
    ((Runnable) define(woven).getDeclaredConstructor().newInstance()).run();
    assertThat(CALLS).containsExactly("advice run", "run");
  }

  /** Weaves the classes named {@code names}, after noting each type its matcher is asked about. */
  private static KnownTypeTransformer asking(List<String> asked, boolean weave, String... names) {
    return new KnownTypes()
        .transform((type, loader, module, redefined, domain) -> asked.add(type.getName()) && weave, WEAVE)
        .transformer(Set.of(names));
  }

  @Test
  void shouldPassOverAClassItDoesNotNameWithoutAskingItsMatchers() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    KnownTypeTransformer transformer = asking(asked, true, "redis.clients.jedis.Connection");

    assertThat(transformer.transform(null, loader(), INTERNAL, null, null, classBytes())).isNull();
    assertThat(asked).isEmpty();
  }

  @Test
  void shouldLeaveTheClassAsItIsWhenNoMatcherSaysYesOrWeavingFails() throws Exception {
    KnownTypeTransformer notMatched = new KnownTypes()
        .watch((type, loader, module, redefined, domain) -> true) // asked only: never transforms
        .transform((type, loader, module, redefined, domain) -> false, WEAVE)
        .transformer(Set.of(TARGET));
    KnownTypeTransformer failing = new KnownTypes()
        .transform((type, loader, module, redefined, domain) -> true, (builder, type, loader, module, domain) -> {
          throw new IllegalStateException("broken advice");
        })
        .transformer(Set.of(TARGET));

    assertThat(notMatched.transform(null, loader(), INTERNAL, null, null, classBytes())).isNull();
    assertThat(failing.transform(null, loader(), INTERNAL, null, null, classBytes())).as("never throws").isNull();
    assertThat(failing.transform(null, loader(), INTERNAL, null, null, new byte[] {1, 2, 3}))
        .as("not a class file").isNull();
  }

  @Test
  void shouldHandTheClassWovenAheadToItsLoaderWithoutWeavingItAgain() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    KnownTypeTransformer transformer = asking(asked, true, TARGET);
    ClassLoader system = ClassLoader.getSystemClassLoader();

    transformer.warmUp(List.of("no.such.Client", TARGET), JedisStandIn::connection);
    assertThat(asked).as("woven ahead, from the system loader's class file").containsExactly(TARGET);
    byte[] woven = transformer.transform(null, system, INTERNAL, null, null, classBytes());

    assertThat(asked).as("not woven a second time").containsExactly(TARGET);
    CALLS.clear();
    ((Runnable) define(woven).getDeclaredConstructor().newInstance()).run();
    assertThat(CALLS).containsExactly("advice run", "run");
  }

  @Test
  void shouldWeaveAgainWhenTheClassLoadsInAnotherLoader() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    KnownTypeTransformer transformer = asking(asked, true, TARGET);
    ClassLoader other = new ClassLoader(loader()) { };

    transformer.warmUp(List.of(TARGET), JedisStandIn::connection);
    assertThat(transformer.transform(null, other, INTERNAL, null, null, classBytes())).isNotNull();

    assertThat(asked).as("another loader's class is woven for itself").containsExactly(TARGET, TARGET);
  }

  @Test
  void shouldRehearseOnTheStandInWhenTheClassPathHasNoneOfTheClasses() {
    List<String> asked = new CopyOnWriteArrayList<>();
    KnownTypeTransformer transformer = asking(asked, false, TARGET, "redis.clients.jedis.Connection");

    transformer.warmUp(List.of("no.such.Client"), JedisStandIn::connection);

    assertThat(asked).containsExactly("redis.clients.jedis.Connection");
  }

  @Test
  void shouldNotMakeTheStandInAgainOnceAnEarlierStartOfTheJarRehearsedOnIt(@TempDir Path dir) {
    WovenClassCache cache = new WovenClassCache(dir);
    List<String> asked = new CopyOnWriteArrayList<>();
    AtomicInteger made = new AtomicInteger();
    Supplier<StandInClasses> standIns = () -> {
      made.incrementAndGet();
      return JedisStandIn.connection();
    };
    for (int start = 0; start < 2; start++) {
      KnownTypeTransformer.deferred(Set.of("redis.clients.jedis.Connection"), Set.of(),
          () -> new KnownTypes().transform((type, loader, module, redefined, domain) -> asked.add(type.getName()), WEAVE),
          cache).warmUp(List.of("no.such.Client"), standIns);
    }
    assertThat(made).as("the stand-in was made by the first start only").hasValue(1);
    assertThat(asked).containsExactly("redis.clients.jedis.Connection");

    KnownTypeTransformer.deferred(Set.of("redis.clients.jedis.Connection"), Set.of(),
        () -> new KnownTypes().transform((type, loader, module, redefined, domain) -> asked.add(type.getName()), WEAVE),
        WovenClassCache.NONE).warmUp(List.of("no.such.Client"), standIns);
    assertThat(made).as("without a cache, every start rehearses").hasValue(2);
  }

  @Test
  void shouldWeaveTheStandInWithJedisOwnInstrumentationAsItWouldTheRealConnection() {
    KnownTypeTransformer jedis = JedisInstrumentation.install(new KnownTypes())
        .transformer(JedisInstrumentation.classNames());
    StandInClasses standIn = JedisStandIn.connection();

    byte[] woven = jedis.transform(null, standIn, standIn.wovenName(), null, null, standIn.wovenClassFile());

    assertThat(woven).as("the rehearsal runs the advice the real class gets").isNotNull()
        .isNotEqualTo(standIn.wovenClassFile());
  }

  @Test
  void shouldTakeAClassWovenInAnEarlierStartFromTheCacheWithoutMakingItsTransformations(@TempDir Path dir)
      throws Exception {
    WovenClassCache cache = new WovenClassCache(dir);
    List<String> asked = new CopyOnWriteArrayList<>();
    AtomicInteger made = new AtomicInteger();
    Supplier<KnownTypes> types = () -> {
      made.incrementAndGet();
      return new KnownTypes().transform((type, loader, module, redefined, domain) -> asked.add(type.getName()), WEAVE);
    };
    byte[] first = KnownTypeTransformer.deferred(Set.of(TARGET), Set.of(), types, cache)
        .transform(null, loader(), INTERNAL, null, null, classBytes());

    KnownTypeTransformer nextStart = KnownTypeTransformer.deferred(Set.of(TARGET), Set.of(), types, cache);
    byte[] second = nextStart.transform(null, loader(), INTERNAL, null, null, classBytes());

    assertThat(made).as("the transformations were made for the first start only").hasValue(1);
    assertThat(second).isEqualTo(first);
    CALLS.clear();
    ((Runnable) define(second).getDeclaredConstructor().newInstance()).run();
    assertThat(CALLS).containsExactly("advice run", "run");
  }

  @Test
  void shouldKeepAClassLeftAsItIsButAskAgainForOneWhoseMatchersMustAlwaysBeAsked(@TempDir Path dir)
      throws Exception {
    WovenClassCache cache = new WovenClassCache(dir);
    List<String> asked = new CopyOnWriteArrayList<>();
    Supplier<KnownTypes> watching = () -> new KnownTypes().watch((type, loader, module, redefined, domain) -> {
      asked.add(type.getName());
      return true;
    });
    for (int start = 0; start < 2; start++) {
      assertThat(KnownTypeTransformer.deferred(Set.of(TARGET), Set.of(), watching, cache)
          .transform(null, loader(), INTERNAL, null, null, classBytes())).isNull();
    }
    assertThat(asked).as("unchanged, and known to be after the first start").containsExactly(TARGET);

    asked.clear();
    for (int start = 0; start < 2; start++) {
      KnownTypeTransformer.deferred(Set.of(TARGET), Set.of(TARGET), watching, cache)
          .transform(null, loader(), INTERNAL, null, null, classBytes());
    }
    assertThat(asked).as("a notice's class is asked at every start").containsExactly(TARGET, TARGET);
  }

  @Test
  void shouldNotKeepWhatAFailedWeavingGave(@TempDir Path dir) throws Exception {
    WovenClassCache cache = new WovenClassCache(dir);
    KnownTypeTransformer.deferred(Set.of(TARGET), Set.of(), () -> new KnownTypes()
        .transform((type, loader, module, redefined, domain) -> true, (builder, type, loader, module, domain) -> {
          throw new IllegalStateException("broken advice");
        }), cache).transform(null, loader(), INTERNAL, null, null, classBytes());

    assertThat(cache.find(loader().getResource(INTERNAL + ".class").toString(), INTERNAL, classBytes()))
        .as("tried again next time").isNull();
  }

  private static ClassLoader loader() {
    return KnownTypeTransformerTest.class.getClassLoader();
  }

  private static byte[] classBytes() throws IOException {
    try (InputStream in = loader().getResourceAsStream(INTERNAL + ".class")) {
      return in.readAllBytes();
    }
  }

  /** Defines the woven class in a loader of its own, beside the test's. */
  private static Class<?> define(byte[] bytes) throws ClassNotFoundException {
    return new ClassLoader(loader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.equals(TARGET)) {
          synchronized (getClassLoadingLock(name)) {
            Class<?> done = findLoadedClass(name);
            return done != null ? done : defineClass(name, bytes, 0, bytes.length);
          }
        }
        return super.loadClass(name, resolve);
      }
    }.loadClass(TARGET);
  }
}
