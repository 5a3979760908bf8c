package io.memtrace.agent.instrumentation.method;

import io.memtrace.agent.config.MethodRule;
import io.memtrace.agent.util.AgentLog;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Which classes and methods the {@code memory-managers} and {@code tasks} rules, and the built-in
 * profiles, instrument. This is the only place that answers it: the start-up gate asks before a
 * class is defined, Byte Buddy's type matcher while it is being defined, and the transformer for
 * each of its methods.
 *
 * <p>A rule applies to a type whose binary name, or the name of any of its supertypes (classes and
 * interfaces, direct or not), matches the rule's type glob, and there to the methods whose name
 * matches one of its method globs: every overload, static or not, but only methods with a body of
 * their own (no abstract or native methods, no constructors, nor the bridge and synthetic methods
 * that javac writes, which would record one call twice). An interface is a target for its default
 * methods. When several rules apply to a method, the first in the configuration wins; a profile's
 * rules come after the user's. A rule with {@link MethodRule#argumentTypes() argument types} takes
 * only the overloads with those parameters.
 *
 * <p>A built-in profile joins only when a class of its library's package is first seen (its
 * interfaces load before anything can implement them), so an application without the library never
 * reads the profile. Its rules then apply only to classes of a class loader that can see the
 * library type they name: a class can only implement {@code ChatMemory} if its loader resolves
 * {@code ChatMemory}, and asking once per loader spares every other class the walk over its
 * supertypes.
 */
public final class RuleMatcher {

  /** A built-in profile, read only once a class of {@code packagePrefix} ({@code dev.langchain4j.}) shows up. */
  public static final class LazyProfile {
    final String name;
    final String packagePrefix;
    final String internalPrefix;
    final Supplier<List<MethodRule>> rules;

    public LazyProfile(String name, String packagePrefix, Supplier<List<MethodRule>> rules) {
      this.name = name;
      this.packagePrefix = packagePrefix;
      this.internalPrefix = packagePrefix.replace('.', '/');
      this.rules = rules;
    }
  }

  private final List<MethodRule> userRules;
  /** The profiles not read yet; replaced, never changed, so every class can look without a lock. */
  private volatile LazyProfile[] waiting;
  private final List<MethodRule> joined = new ArrayList<>();
  private volatile RuleSet current;
  /** Told once when the first rule is in force; see {@link #whenRules}. */
  private Runnable onRules;

  public RuleMatcher(List<MethodRule> rules) {
    this(rules, List.of());
  }

  public RuleMatcher(List<MethodRule> userRules, List<LazyProfile> profiles) {
    this.userRules = List.copyOf(userRules);
    this.waiting = profiles.toArray(new LazyProfile[0]);
    this.current = new RuleSet(this.userRules);
  }

  /** No rule, and no profile that could join. */
  public boolean isEmpty() {
    return current.isEmpty() && waiting.length == 0;
  }

  /** The rules in force: the user's, then those of the profiles that joined. */
  public List<MethodRule> rules() {
    return current.rules();
  }

  /**
   * The packages memtrace never instruments, whatever a rule says: its own, the JDK's, Byte
   * Buddy's (the application's own copy too) and the OpenTelemetry Java agent's. The agent ignores
   * them altogether.
   */
  /**
   * Loads and initializes the lists of what is never instrumented now, on the calling thread. A class first loaded from
   * inside a transformer reaches the transformers again on its own load; if they ask for it too, the same thread
   * defines it twice and the second definition fails the first ({@code LinkageError: duplicate class definition}).
   * {@link #neverInstrumentedLoaders()} and the gate's questions both read these lists, so they must be loaded before
   * the first transformer is registered.
   */
  public static void loadNeverInstrumented() {
    NeverInstrumented.named("", '.');
    neverInstrumentedLoaders().matches(null); // its matcher's class too
  }

  public static ElementMatcher.Junction<TypeDescription> neverInstrumented() {
    ElementMatcher.Junction<TypeDescription> any = ElementMatchers.none();
    for (String prefix : NeverInstrumented.PACKAGES) {
      any = any.or(ElementMatchers.nameStartsWith(prefix));
    }
    return any;
  }

  /**
   * The class loaders whose classes memtrace never instruments: the OpenTelemetry Java agent's
   * own ({@code AgentClassLoader}, {@code ExtensionClassLoader},
   * {@code InstrumentationModuleClassLoader}...), whatever their classes are named.
   */
  public static ElementMatcher.Junction<ClassLoader> neverInstrumentedLoaders() {
    return new ElementMatcher.Junction.AbstractBase<ClassLoader>() {
      @Override
      public boolean matches(ClassLoader loader) {
        return loader != null && loader.getClass().getName().startsWith(NeverInstrumented.OTEL_AGENT);
      }
    };
  }

  /**
   * Byte Buddy's type matcher: a type with at least one method that {@link #ruleFor} gives a rule.
   * It never throws: a type whose supertypes cannot be described is not a target, said at debug
   * level only, since every class the application loads is asked and most are none of memtrace's
   * business (a failure here would be reported as a failure to instrument the class).
   */
  public AgentBuilder.RawMatcher types() {
    return new AgentBuilder.RawMatcher() {
      @Override
      public boolean matches(TypeDescription type, ClassLoader loader, net.bytebuddy.utility.JavaModule module,
          Class<?> classBeingRedefined, java.security.ProtectionDomain domain) {
        try {
          return isTarget(type, loader);
        } catch (RuntimeException | LinkageError e) {
          AgentLog.debug("rules skip " + type.getName() + ": " + e);
          return false;
        }
      }
    };
  }

  /** Whether a rule applies to at least one method that {@code type} declares, whatever its loader. */
  public boolean isTarget(TypeDescription type) {
    joinFor(type.getName(), false);
    return current.isTarget(type);
  }

  /** Whether a rule applies to at least one method that {@code type}, defined by {@code loader}, declares. */
  public boolean isTarget(TypeDescription type, ClassLoader loader) {
    joinFor(type.getName(), false);
    return current.isTarget(type, loader);
  }

  /**
   * The rule for {@code method}, declared by {@code type}: the first whose method glob (and
   * argument types) match and whose type glob matches {@code type} or a supertype; {@code null}
   * when none does or the method cannot carry advice.
   */
  public MethodRule ruleFor(TypeDescription type, MethodDescription method) {
    return current.ruleFor(type, method);
  }

  /** {@link #ruleFor(TypeDescription, MethodDescription)} for a class defined by {@code loader}. */
  public MethodRule ruleFor(TypeDescription type, MethodDescription method, ClassLoader loader) {
    return current.ruleFor(type, method, loader);
  }

  /**
   * The start-up gate's question, asked of a class file before anything is loaded: whether a
   * rule's type glob names the class or one of its direct supertypes. Indirect supertypes are not
   * known yet; a class that only they make a target is found by Byte Buddy later.
   *
   * @param internalName the class's name as class files spell it, {@code com/acme/NoteMemory}
   */
  public boolean mayBeTarget(String internalName, byte[] classFile) {
    joinFor(internalName, true);
    return current.mayBeTarget(internalName, classFile);
  }

  /** {@link #mayBeTarget(String, byte[])} for a class that {@code loader} defines. */
  public boolean mayBeTarget(String internalName, byte[] classFile, ClassLoader loader) {
    joinFor(internalName, true);
    return current.mayBeTarget(internalName, classFile, loader);
  }

  /**
   * Lets in the profiles of libraries some of whose classes are loaded already: the retransformation
   * pass may reach an implementation before its library's interface.
   */
  public void joinForLoaded(Class<?>[] loaded) {
    for (int i = 0; i < loaded.length && waiting.length > 0; i++) {
      joinFor(loaded[i].getName(), false);
    }
  }

  /** Reads and adds the waiting profile whose package {@code name} is in, if any. */
  private void joinFor(String name, boolean internal) {
    for (LazyProfile profile : waiting) {
      if (name.startsWith(internal ? profile.internalPrefix : profile.packagePrefix)) {
        join(profile);
      }
    }
  }

  /**
   * Runs {@code action} once there is a rule in force: at once if there is one already, otherwise
   * on the thread that lets in the first profile (while that thread's class waits to load). The
   * agent installs the rules' transformer then, so an application without a profile's library
   * never pays for it.
   */
  public void whenRules(Runnable action) {
    synchronized (this) {
      if (current.isEmpty()) {
        onRules = action;
        return;
      }
    }
    action.run();
  }

  private synchronized void join(LazyProfile profile) {
    List<LazyProfile> still = new ArrayList<>(List.of(waiting));
    if (!still.remove(profile)) {
      return; // another thread let it in
    }
    joined.addAll(read(profile));
    List<MethodRule> all = new ArrayList<>(userRules);
    all.addAll(joined);
    current = new RuleSet(all);
    waiting = still.toArray(new LazyProfile[0]);
    if (onRules != null && !current.isEmpty()) {
      Runnable action = onRules;
      onRules = null;
      action.run();
    }
  }

  private static List<MethodRule> read(LazyProfile profile) {
    try {
      List<MethodRule> rules = profile.rules.get();
      AgentLog.debug("profile " + profile.name + ": " + profile.packagePrefix + "* seen, " + rules.size() + " rules");
      return rules;
    } catch (RuntimeException e) {
      AgentLog.error("profile " + profile.name + " could not be read and is off: " + e, e);
      return List.of();
    }
  }
}
