package io.memtrace.agent.instrumentation.method;

import io.memtrace.agent.config.MethodRule;
import io.memtrace.common.Glob;
import java.util.List;
import java.util.regex.Pattern;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;

/**
 * One immutable set of rules, compiled for matching: what {@link RuleMatcher} answers with until a
 * built-in profile joins (then it builds a new set). The matching rules are described there.
 * Per class loader it remembers which rules may apply (see {@link #applicableTo}).
 */
final class RuleSet {

  /**
   * The OpenTelemetry Java agent's packages: its bootstrap classes, the helpers it injects into
   * the application's class loaders and, by the loaders' own names, everything its agent,
   * extension and instrumentation-module class loaders define.
   */
  static final String OTEL_AGENT = "io.opentelemetry.javaagent.";
  /** See {@link RuleMatcher#neverInstrumented()}. */
  static final List<String> NEVER = List.of("io.memtrace.agent.", "net.bytebuddy.", "java.",
      "jdk.", "sun.", OTEL_AGENT);

  private final List<MethodRule> rules;
  private final Pattern[] types;
  /** The same globs over internal names ({@code com/acme/Memory}), as class files spell them. */
  private final Pattern[] internalTypes;
  private final Pattern[][] methods;
  /** Per rule, the parameter type globs an overload must match, or {@code null} for any overload. */
  private final Pattern[][] arguments;
  /** Per rule, the class file a loader must have for the rule to apply, or {@code null} (user rules). */
  private final String[] requiredResources;
  private final boolean[] allRules;
  /** The user's rules only: what applies to classes of the boot loader, which sees no library. */
  private final boolean[] userRules;
  private final boolean hasProfileRules;
  /** Which rules apply to each class loader's classes, asked once per loader. */
  private final java.util.Map<ClassLoader, boolean[]> byLoader = new java.util.WeakHashMap<>();

  RuleSet(List<MethodRule> rules) {
    this.rules = List.copyOf(rules);
    int count = this.rules.size();
    types = new Pattern[count];
    internalTypes = new Pattern[count];
    methods = new Pattern[count][];
    arguments = new Pattern[count][];
    requiredResources = new String[count];
    allRules = new boolean[count];
    java.util.Arrays.fill(allRules, true);
    for (int i = 0; i < count; i++) {
      MethodRule rule = this.rules.get(i);
      types[i] = Glob.compile(rule.typePattern());
      internalTypes[i] = Glob.compile(rule.typePattern().replace('.', '/'));
      methods[i] = new Pattern[rule.methodPatterns().size()];
      for (int m = 0; m < methods[i].length; m++) {
        methods[i][m] = Glob.compile(rule.methodPatterns().get(m));
      }
      List<String> args = rule.argumentTypes();
      if (args != null) {
        arguments[i] = new Pattern[args.size()];
        for (int a = 0; a < arguments[i].length; a++) {
          arguments[i][a] = Glob.compile(args.get(a));
        }
      }
      if (rule.profile() != null && !rule.typePattern().contains("*")) {
        requiredResources[i] = rule.typePattern().replace('.', '/') + ".class";
      }
    }
    userRules = new boolean[count];
    boolean profileRules = false;
    for (int i = 0; i < count; i++) {
      userRules[i] = requiredResources[i] == null;
      profileRules |= !userRules[i];
    }
    hasProfileRules = profileRules;
  }

  /**
   * Which rules may apply to classes defined by {@code loader}: every user rule, and the profile
   * rules whose library type the loader can see. Asked once per loader; never throws.
   */
  boolean[] applicableTo(ClassLoader loader) {
    if (loader == null || !hasProfileRules) {
      return userRules; // the boot loader sees no library; with no profile rule, nothing to ask a loader
    }
    synchronized (byLoader) {
      boolean[] known = byLoader.get(loader);
      if (known != null) {
        return known;
      }
    }
    boolean[] applicable = allRules.clone();
    java.util.Map<String, Boolean> seen = new java.util.HashMap<>();
    for (int i = 0; i < applicable.length; i++) {
      String resource = requiredResources[i];
      if (resource != null) {
        applicable[i] = seen.computeIfAbsent(resource, r -> sees(loader, r));
      }
    }
    synchronized (byLoader) {
      byLoader.put(loader, applicable);
    }
    return applicable;
  }

  private static boolean sees(ClassLoader loader, String resource) {
    try {
      return loader.getResource(resource) != null;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  boolean isEmpty() {
    return rules.isEmpty();
  }

  List<MethodRule> rules() {
    return rules;
  }

  /** Whether a rule applies to at least one method that {@code type} declares, whatever its loader. */
  boolean isTarget(TypeDescription type) {
    return isTarget(type, allRules);
  }

  /** Whether a rule applies to at least one method that {@code type}, defined by {@code loader}, declares. */
  boolean isTarget(TypeDescription type, ClassLoader loader) {
    return isTarget(type, applicableTo(loader));
  }

  private boolean isTarget(TypeDescription type, boolean[] applicable) {
    if (rules.isEmpty() || !any(applicable) || isNever(type.getName(), '.') || !namedByAnyRule(type, applicable)) {
      return false;
    }
    // Only now its methods: for a loaded class they are read by reflection, which loads every
    // type in their signatures. Done for every class of the retransformation pass, that loaded
    // classes nobody asked for, and deadlocked against an application thread holding a Jedis
    // class's load lock while the start-up gate made it wait for this very pass.
    for (MethodDescription method : type.getDeclaredMethods()) {
      if (ruleFor(type, method, applicable) != null) {
        return true;
      }
    }
    return false;
  }

  private static boolean any(boolean[] applicable) {
    for (boolean a : applicable) {
      if (a) {
        return true;
      }
    }
    return false;
  }

  private boolean namedByAnyRule(TypeDescription type, boolean[] applicable) {
    for (int i = 0; i < types.length; i++) {
      if (applicable[i] && namesTypeOrSupertype(types[i], type)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The rule for {@code method}, declared by {@code type}: the first whose method glob matches its
   * name and whose type glob matches {@code type} or a supertype; {@code null} when none does or
   * the method cannot carry advice.
   */
  MethodRule ruleFor(TypeDescription type, MethodDescription method) {
    return ruleFor(type, method, allRules);
  }

  /** {@link #ruleFor(TypeDescription, MethodDescription)} for a class defined by {@code loader}. */
  MethodRule ruleFor(TypeDescription type, MethodDescription method, ClassLoader loader) {
    return ruleFor(type, method, applicableTo(loader));
  }

  private MethodRule ruleFor(TypeDescription type, MethodDescription method, boolean[] applicable) {
    if (method.isAbstract() || method.isNative() || method.isConstructor()
        || method.isTypeInitializer() || method.isSynthetic() || method.isBridge()) {
      return null;
    }
    String name = method.getName();
    for (int i = 0; i < types.length; i++) {
      if (applicable[i] && matchesAny(methods[i], name) && takes(arguments[i], method)
          && namesTypeOrSupertype(types[i], type)) {
        return rules.get(i);
      }
    }
    return null;
  }

  /** Whether {@code method}'s parameters match {@code patterns} one by one; {@code null} takes any. */
  private static boolean takes(Pattern[] patterns, MethodDescription method) {
    if (patterns == null) {
      return true;
    }
    net.bytebuddy.description.type.TypeList.Generic parameters = method.getParameters().asTypeList();
    if (parameters.size() != patterns.length) {
      return false;
    }
    for (int i = 0; i < patterns.length; i++) {
      if (!patterns[i].matcher(parameters.get(i).asErasure().getActualName()).matches()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The start-up gate's question, asked of a class file before anything is loaded: whether a
   * rule's type glob names the class or one of its direct supertypes. Indirect supertypes are not
   * known yet; a class that only they make a target is found by Byte Buddy later.
   *
   * @param internalName the class's name as class files spell it, {@code com/acme/NoteMemory}
   */
  boolean mayBeTarget(String internalName, byte[] classFile) {
    return mayBeTarget(internalName, classFile, allRules);
  }

  /** {@link #mayBeTarget(String, byte[])} for a class that {@code loader} defines. */
  boolean mayBeTarget(String internalName, byte[] classFile, ClassLoader loader) {
    // no rule (only profiles waiting for their library): the gate asks this of every class
    return !rules.isEmpty() && mayBeTarget(internalName, classFile, applicableTo(loader));
  }

  private boolean mayBeTarget(String internalName, byte[] classFile, boolean[] applicable) {
    if (rules.isEmpty() || !any(applicable) || isNever(internalName, '/')) {
      return false;
    }
    if (namesInternal(internalName, applicable)) {
      return true;
    }
    for (String supertype : ClassHeader.supertypes(classFile)) {
      if (namesInternal(supertype, applicable)) {
        return true;
      }
    }
    return false;
  }

  private boolean namesInternal(String internalName, boolean[] applicable) {
    for (int i = 0; i < internalTypes.length; i++) {
      if (applicable[i] && internalTypes[i].matcher(internalName).matches()) {
        return true;
      }
    }
    return false;
  }

  private static boolean isNever(String name, char separator) {
    if (isGeneratedProxy(name)) {
      return true;
    }
    for (String prefix : NEVER) {
      if (name.length() > prefix.length() && startsWith(name, prefix, separator)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A subclass a framework generates in front of a bean ({@code Repo$$SpringCGLIB$$0}, CGLIB's
   * {@code $$EnhancerBy…}, {@code $ByteBuddy$}, {@code $HibernateProxy$}): its methods hand the
   * call to the real object, or to {@code super}, whose own method is traced, so tracing the proxy
   * too would make two spans of one call.
   */
  static boolean isGeneratedProxy(String name) {
    return name.contains("$$") || name.contains("$ByteBuddy$") || name.contains("$HibernateProxy$");
  }

  /** {@code name.startsWith(prefix)}, with the prefix's dots read as {@code separator}. */
  private static boolean startsWith(String name, String prefix, char separator) {
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (name.charAt(i) != (c == '.' ? separator : c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean matchesAny(Pattern[] patterns, String name) {
    for (Pattern pattern : patterns) {
      if (pattern.matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  private static boolean namesTypeOrSupertype(Pattern pattern, TypeDefinition type) {
    if (pattern.matcher(type.asErasure().getName()).matches()) {
      return true;
    }
    for (TypeDescription.Generic implemented : type.getInterfaces()) {
      if (namesTypeOrSupertype(pattern, implemented)) {
        return true;
      }
    }
    TypeDescription.Generic superClass = type.getSuperClass();
    return superClass != null && namesTypeOrSupertype(pattern, superClass);
  }
}
