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
 * Which of the rules apply to a class loader's classes is {@link LoaderRules}' answer; the classes
 * no rule may name are {@link NeverInstrumented}.
 */
final class RuleSet {

  private final List<MethodRule> rules;
  private final Pattern[] types;
  /** The same globs over internal names ({@code com/acme/Memory}), as class files spell them. */
  private final Pattern[] internalTypes;
  private final Pattern[][] methods;
  /** Per rule, the parameter type globs an overload must match, or {@code null} for any overload. */
  private final Pattern[][] arguments;
  private final LoaderRules loaders;
  private final boolean[] allRules;

  RuleSet(List<MethodRule> rules) {
    this.rules = List.copyOf(rules);
    int count = this.rules.size();
    types = new Pattern[count];
    internalTypes = new Pattern[count];
    methods = new Pattern[count][];
    arguments = new Pattern[count][];
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
    }
    loaders = new LoaderRules(this.rules);
    allRules = loaders.all();
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
    return isTarget(type, loaders.applicableTo(loader));
  }

  private boolean isTarget(TypeDescription type, boolean[] applicable) {
    if (rules.isEmpty() || !any(applicable) || NeverInstrumented.named(type.getName(), '.') || !namedByAnyRule(type, applicable)) {
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
    return ruleFor(type, method, loaders.applicableTo(loader));
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
    return !rules.isEmpty() && mayBeTarget(internalName, classFile, loaders.applicableTo(loader));
  }

  private boolean mayBeTarget(String internalName, byte[] classFile, boolean[] applicable) {
    if (rules.isEmpty() || !any(applicable) || NeverInstrumented.named(internalName, '/')) {
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
