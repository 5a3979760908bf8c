package io.memtrace.agent.instrumentation.method;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fleet.AgentRegistry;
import com.example.fleet.PlannerAgent;
import com.example.memory.BaseMemory;
import com.example.memory.CachedNoteMemory;
import com.example.memory.LooseNotes;
import com.example.memory.Memory;
import com.example.memory.NoteMemory;
import com.example.memory.NoteMemoryFactory;
import com.example.memory.sub.DeepMemory;
import io.memtrace.agent.config.ConfigProblem;
import io.memtrace.agent.config.ConfigResult;
import io.memtrace.agent.config.MethodRule;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A configuration matches exactly the classes and methods expected, and the start-up gate's
 * question about a class file gets the same answer where a class file can tell.
 */
class RuleMatcherTest {

  private static final List<Class<?>> FIXTURES = List.of(Memory.class, BaseMemory.class,
      NoteMemory.class, CachedNoteMemory.class, NoteMemoryFactory.class, LooseNotes.class,
      DeepMemory.class, PlannerAgent.class, AgentRegistry.class);

  /**
   * Every method of {@code type} a rule applies to, as {@code "String get(String) <- rule"} where
   * the rule is named by where it stands in the configuration ({@code memory-managers[0].methods[1]}).
   */
  private static List<String> instrumented(RuleMatcher matcher, Class<?> type) {
    TypeDescription description = TypeDescription.ForLoadedType.of(type);
    List<String> found = new ArrayList<>();
    for (MethodDescription method : description.getDeclaredMethods()) {
      MethodRule rule = matcher.ruleFor(description, method);
      if (rule != null) {
        found.add(signature(method) + " <- " + rule.label().substring(0, rule.label().indexOf(' ')));
      }
    }
    found.sort(null);
    return found;
  }

  private static String signature(MethodDescription method) {
    return method.getReturnType().asErasure().getSimpleName() + " " + method.getName() + "("
        + method.getParameters().asTypeList().asErasures().stream()
            .map(TypeDescription::getSimpleName).collect(Collectors.joining(",")) + ")";
  }

  private static List<Class<?>> targets(RuleMatcher matcher) {
    return FIXTURES.stream().filter(type -> matcher.isTarget(TypeDescription.ForLoadedType.of(type)))
        .collect(Collectors.toList());
  }

  @Nested
  class AnInterfaceRule {

    private final RuleMatcher matcher = Rules.matcher(
        "memory-managers:",
        "  - type: com.example.memory.Memory",
        "    methods:",
        "      - { name: get, operation: retrieve }",
        "      - { name: put, operation: store }",
        "      - { name: getOrDefault, operation: retrieve }",
        "      - { name: clear, operation: delete }",
        "      - { name: nativeSize, operation: size }",
        "      - { name: compareTo, operation: compare }",
        "      - { name: 'lambda$*', operation: lambda }",
        "      - { name: create, operation: create }");

    @Test
    void shouldReachEveryImplementationDirectOrNotAndNothingElse() {
      assertThat(targets(matcher)).containsExactly(Memory.class, BaseMemory.class, NoteMemory.class,
          CachedNoteMemory.class);
    }

    @Test
    void shouldTraceEveryOverloadOnceButNoBridgeLambdaOrConstructor() {
      assertThat(instrumented(matcher, NoteMemory.class)).containsExactly(
          "NoteMemory create() <- memory-managers[0].methods[7]",
          "String get(String) <- memory-managers[0].methods[0]",
          "String get(String,String) <- memory-managers[0].methods[0]",
          "int compareTo(NoteMemory) <- memory-managers[0].methods[5]",
          "void clear() <- memory-managers[0].methods[3]",
          "void put(String,String) <- memory-managers[0].methods[1]");
    }

    @Test
    void shouldSkipAbstractAndNativeMethods() {
      assertThat(instrumented(matcher, BaseMemory.class))
          .containsExactly("Object get(String) <- memory-managers[0].methods[0]");
    }

    @Test
    void shouldTraceAnInterfacesDefaultMethodButNotItsAbstractOnes() {
      assertThat(instrumented(matcher, Memory.class))
          .containsExactly("Object getOrDefault(String,Object) <- memory-managers[0].methods[2]");
    }

    @Test
    void shouldTraceAnOverrideTwoLevelsDown() {
      assertThat(instrumented(matcher, CachedNoteMemory.class))
          .containsExactly("String get(String) <- memory-managers[0].methods[0]");
    }

    @Test
    void shouldNotReadTheMethodsOfAClassNoRuleNames() {
      // reading a loaded class's methods loads the types of their signatures; at start-up that
      // deadlocked against an application thread waiting in the gate with a Jedis class half-loaded
      TypeDescription unrelated = new TypeDescription.Latent("redis.clients.jedis.Jedis", 1,
          TypeDescription.Generic.OfNonGenericType.ForLoadedType.of(Object.class)) {
        @Override
        public net.bytebuddy.description.method.MethodList<MethodDescription.InDefinedShape> getDeclaredMethods() {
          throw new AssertionError("the methods of a class no rule names were read");
        }
      };

      assertThat(matcher.isTarget(unrelated)).isFalse();
    }

    @Test
    void shouldLeaveAClassWithTheSameMethodNamesButNoMatchingSupertypeAlone() {
      assertThat(instrumented(matcher, LooseNotes.class)).isEmpty();
      assertThat(instrumented(matcher, NoteMemoryFactory.class)).isEmpty();
    }
  }

  @Nested
  class Globs {

    private final RuleMatcher matcher = Rules.matcher(
        "memory-managers:",
        "  - type: com.example.memory.*Memory",
        "    methods: [{ name: get*, operation: retrieve }]",
        "tasks:",
        "  - { type: com.example.fleet.*Agent, method: run*, span: 'task.{method}' }");

    @Test
    void shouldMatchTypeNamesAcrossPackagesButOnlyWhole() {
      assertThat(targets(matcher)).containsExactly(Memory.class, BaseMemory.class, NoteMemory.class,
          CachedNoteMemory.class, DeepMemory.class, PlannerAgent.class);
    }

    @Test
    void shouldMatchMethodNamesByPrefix() {
      assertThat(instrumented(matcher, CachedNoteMemory.class)).containsExactly(
          "String get(String) <- memory-managers[0].methods[0]",
          "String getStats() <- memory-managers[0].methods[0]");
      assertThat(instrumented(matcher, PlannerAgent.class)).containsExactly(
          "void run() <- tasks[0]", "void runAsync(int) <- tasks[0]");
    }
  }

  @Test
  void shouldGiveAMethodTheFirstRuleThatAppliesToIt() {
    RuleMatcher matcher = Rules.matcher(
        "memory-managers:",
        "  - type: com.example.memory.NoteMemory",
        "    methods: [{ name: get, operation: lookup }]",
        "  - type: com.example.memory.Memory",
        "    methods: [{ name: get, operation: retrieve }, { name: put, operation: store }]");

    assertThat(instrumented(matcher, CachedNoteMemory.class))
        .containsExactly("String get(String) <- memory-managers[0].methods[0]");
    assertThat(instrumented(matcher, NoteMemory.class)).containsExactly(
        "String get(String) <- memory-managers[0].methods[0]",
        "String get(String,String) <- memory-managers[0].methods[0]",
        "void put(String,String) <- memory-managers[1].methods[1]");
    assertThat(instrumented(matcher, BaseMemory.class))
        .containsExactly("Object get(String) <- memory-managers[1].methods[0]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"'*'", "'*.*'", "'**'", "java.lang.Object", "'*Memory'"})
  void shouldRejectAPatternThatWouldMatchEveryClassAndMatchNothing(String type) {
    ConfigResult result = Rules.load(
        "memory-managers:",
        "  - type: " + type,
        "    methods: [{ name: get, operation: retrieve }]");

    assertThat(result.problems()).extracting(ConfigProblem::key).containsExactly("memory-managers[0].type");
    assertThat(result.agentEnabled()).isTrue();
    assertThat(targets(new RuleMatcher(result.config().methodRules()))).isEmpty();
  }

  @Nested
  class BeforeAClassLoads {

    private final RuleMatcher matcher = Rules.matcher(
        "memory-managers:",
        "  - type: com.example.memory.Memory",
        "    methods: [{ name: get, operation: retrieve }]",
        "tasks:",
        "  - { type: 'io.*', method: run, span: run }");

    private boolean mayBeTarget(Class<?> type) throws Exception {
      return matcher.mayBeTarget(type.getName().replace('.', '/'), ClassHeaderTest.classBytes(type));
    }

    @Test
    void shouldNameAClassOrADirectImplementation() throws Exception {
      assertThat(mayBeTarget(Memory.class)).isTrue();
      assertThat(mayBeTarget(BaseMemory.class)).isTrue();
    }

    @Test
    void shouldNotSeeIndirectSupertypesWhichByteBuddyFindsLater() throws Exception {
      assertThat(mayBeTarget(NoteMemory.class)).isFalse();
      assertThat(matcher.isTarget(TypeDescription.ForLoadedType.of(NoteMemory.class))).isTrue();
    }

    @Test
    void shouldNeverNameMemtracesOwnClassesOrTheJdks() throws Exception {
      assertThat(mayBeTarget(RuleMatcher.class)).isFalse();
      assertThat(matcher.mayBeTarget("java/lang/String", new byte[0])).isFalse();
      assertThat(matcher.isTarget(TypeDescription.ForLoadedType.of(RuleMatcher.class))).isFalse();
      assertThat(matcher.mayBeTarget("io/acme/Runner", new byte[0])).as("io.* itself works").isTrue();
    }

    @Test
    void shouldLeaveUnrelatedClassesAlone() throws Exception {
      assertThat(mayBeTarget(LooseNotes.class)).isFalse();
      assertThat(mayBeTarget(NoteMemoryFactory.class)).isFalse();
    }
  }

  @Nested
  class ArgumentTypes {

    @Test
    void shouldTakeOnlyTheOverloadWithTheNamedParameters() {
      RuleMatcher matcher = Rules.matcher(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    methods:",
          "      - { name: get, args: [java.lang.String, '*.String'], operation: lookup }",
          "      - { name: get, operation: retrieve }");

      assertThat(instrumented(matcher, NoteMemory.class)).containsExactly(
          "String get(String) <- memory-managers[0].methods[1]",
          "String get(String,String) <- memory-managers[0].methods[0]");
    }

    @Test
    void shouldTakeOnlyTheMethodWithoutParametersForAnEmptyList() {
      RuleMatcher matcher = Rules.matcher(
          "memory-managers:",
          "  - type: com.example.memory.NoteMemory",
          "    methods:",
          "      - { name: get, args: [], operation: retrieve }",
          "      - { name: clear, args: [], operation: delete }");

      assertThat(instrumented(matcher, NoteMemory.class)).containsExactly(
          "void clear() <- memory-managers[0].methods[1]");
    }
  }

  @Nested
  class ProfileRules {

    private final RuleMatcher matcher = new RuleMatcher(io.memtrace.agent.config.ProfileRules.asProfile("test",
        Rules.of("profiles: {spring-ai: false, langchain4j: false}",
            "memory-managers:",
            "  - type: com.example.memory.Memory",
            "    methods:",
            "      - { name: get, operation: retrieve }")));

    @Test
    void shouldApplyOnlyToClassesOfALoaderThatSeesTheLibraryType() throws Exception {
      TypeDescription note = TypeDescription.ForLoadedType.of(NoteMemory.class);
      try (java.net.URLClassLoader blind = new java.net.URLClassLoader(new java.net.URL[0], null)) {
        assertThat(matcher.isTarget(note, NoteMemory.class.getClassLoader())).isTrue();
        assertThat(matcher.isTarget(note, blind)).isFalse();
        assertThat(matcher.isTarget(note, (ClassLoader) null)).isFalse();
        assertThat(matcher.mayBeTarget("com/example/memory/NoteMemory", new byte[0], blind)).isFalse();
        MethodDescription get = note.getDeclaredMethods().filter(
            net.bytebuddy.matcher.ElementMatchers.named("get").and(
                net.bytebuddy.matcher.ElementMatchers.takesArguments(1)).and(
                net.bytebuddy.matcher.ElementMatchers.not(net.bytebuddy.matcher.ElementMatchers.isBridge()))).getOnly();
        assertThat(matcher.ruleFor(note, get, blind)).isNull();
        assertThat(matcher.ruleFor(note, get, NoteMemory.class.getClassLoader())).isNotNull();
      }
    }

    @Test
    void shouldReadAProfileOnlyOnceAClassOfItsPackageShowsUp() {
      java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
      RuleMatcher lazy = new RuleMatcher(List.of(), List.of(new RuleMatcher.LazyProfile("test", "com.example.memory.",
          () -> {
            reads.incrementAndGet();
            return io.memtrace.agent.config.ProfileRules.asProfile("test", Rules.of(
                "profiles: {spring-ai: false, langchain4j: false}",
                "memory-managers:",
                "  - type: com.example.memory.Memory",
                "    methods:",
                "      - { name: get, operation: retrieve }"));
          })));

      assertThat(lazy.isEmpty()).isFalse();
      assertThat(lazy.isTarget(TypeDescription.ForLoadedType.of(PlannerAgent.class), PlannerAgent.class.getClassLoader()))
          .isFalse();
      assertThat(lazy.mayBeTarget("com/example/fleet/PlannerAgent", new byte[0])).isFalse();
      assertThat(reads).as("nothing of the profile's package seen yet").hasValue(0);

      assertThat(lazy.isTarget(TypeDescription.ForLoadedType.of(NoteMemory.class), NoteMemory.class.getClassLoader()))
          .isTrue();
      assertThat(lazy.isTarget(TypeDescription.ForLoadedType.of(CachedNoteMemory.class), CachedNoteMemory.class.getClassLoader()))
          .isTrue();
      assertThat(reads).as("read once").hasValue(1);
      assertThat(lazy.rules()).extracting(MethodRule::profile).containsOnly("test");
    }

    /** A profile "test" for {@code com.example.memory.}, read when a class of that package shows up. */
    private RuleMatcher lazyMemoryProfile() {
      return new RuleMatcher(List.of(), List.of(new RuleMatcher.LazyProfile("test", "com.example.memory.",
          () -> io.memtrace.agent.config.ProfileRules.asProfile("test", Rules.of(
              "profiles: {spring-ai: false, langchain4j: false}",
              "memory-managers:",
              "  - type: com.example.memory.Memory",
              "    methods:",
              "      - { name: get, operation: retrieve }")))));
    }

    @Test
    void shouldTellWhenTheFirstProfileJoinsAndNotBefore() {
      java.util.List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
      RuleMatcher lazy = lazyMemoryProfile();

      lazy.whenRules(() -> told.add("rules"));
      lazy.mayBeTarget("com/example/fleet/PlannerAgent", new byte[0], PlannerAgent.class.getClassLoader());
      assertThat(told).as("no class of the profile's library seen yet: the agent installs nothing").isEmpty();

      lazy.mayBeTarget("com/example/memory/Memory", new byte[0], Memory.class.getClassLoader());
      assertThat(told).as("told once, on the thread that let the profile in").containsExactly("rules");
      lazy.whenRules(() -> told.add("again"));
      assertThat(told).as("rules in force already: at once").containsExactly("rules", "again");
    }

    @Test
    void shouldTellAtOnceWhenTheConfigurationHasRules() {
      java.util.List<String> told = new java.util.ArrayList<>();
      Rules.matcher("tasks:", "  - { type: 'com.acme.Job', method: run, span: run }").whenRules(() -> told.add("rules"));
      assertThat(told).containsExactly("rules");
    }

    @Test
    void shouldLetInAProfileWhoseLibraryWasLoadedBeforeTheMatcherAsked() {
      RuleMatcher lazy = lazyMemoryProfile();

      lazy.joinForLoaded(new Class<?>[] {String.class, Memory.class});

      assertThat(lazy.rules()).hasSize(1);
    }

    @Test
    void shouldApplyAUsersRuleWhateverTheLoader() throws Exception {
      RuleMatcher users = Rules.matcher(
          "profiles: {spring-ai: false, langchain4j: false}",
          "memory-managers:",
          "  - type: com.example.memory.Memory",
          "    methods:",
          "      - { name: get, operation: retrieve }");
      try (java.net.URLClassLoader blind = new java.net.URLClassLoader(new java.net.URL[0], null)) {
        assertThat(users.isTarget(TypeDescription.ForLoadedType.of(NoteMemory.class), blind)).isTrue();
      }
    }
  }

  @Nested
  class GeneratedProxies {

    @ParameterizedTest
    @ValueSource(strings = {"com.example.memory.NoteMemory$$SpringCGLIB$$0",
        "com.example.memory.NoteMemory$$EnhancerBySpringCGLIB$$1a2b", "com.example.memory.NoteMemory$ByteBuddy$x1",
        "com.example.memory.NoteMemory$HibernateProxy$abc"})
    void shouldNotTraceASubclassAFrameworkGeneratesInFrontOfABean(String name) {
      RuleMatcher matcher = Rules.matcher(
          "memory-managers:",
          "  - type: com.example.memory.Memory",
          "    methods:",
          "      - { name: get, operation: retrieve }");
      TypeDescription proxy = new net.bytebuddy.ByteBuddy().subclass(NoteMemory.class).name(name)
          .method(net.bytebuddy.matcher.ElementMatchers.named("get"))
          .intercept(net.bytebuddy.implementation.SuperMethodCall.INSTANCE)
          .make().getTypeDescription();

      assertThat(matcher.isTarget(TypeDescription.ForLoadedType.of(NoteMemory.class))).as("the bean's own class").isTrue();
      assertThat(matcher.isTarget(proxy)).as(name).isFalse();
      assertThat(matcher.mayBeTarget(name.replace('.', '/'), new byte[0])).isFalse();
    }
  }
}
