package io.memtrace.agent.instrumentation.method;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.nameMatches;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.memtrace.agent.config.MethodRule;
import io.memtrace.agent.util.AgentLog;
import io.memtrace.agent.util.Glob;
import java.security.ProtectionDomain;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * Instruments the methods named by {@code memory-managers} and {@code tasks} rules. A rule's type
 * pattern matches the class itself or any supertype, so an interface rule reaches every
 * implementation. Each matched method gets the generic {@link MethodAdvice} with its own rule id;
 * its expressions are compiled then, and a rule that does not fit the method is reported and the
 * method left untouched.
 */
public final class MethodInstrumentation {

  private final List<MethodRule> rules;
  private final List<Pattern> typePatterns;
  /** Method name globs per rule, compiled once: matching runs for every method of every candidate class. */
  private final List<List<Pattern>> methodPatterns;
  private final RuleRegistry registry;

  public MethodInstrumentation(List<MethodRule> rules, RuleRegistry registry) {
    this.rules = rules;
    this.registry = registry;
    this.typePatterns = new java.util.ArrayList<>();
    this.methodPatterns = new java.util.ArrayList<>();
    for (MethodRule rule : rules) {
      typePatterns.add(Glob.compile(rule.typePattern()));
      List<Pattern> names = new java.util.ArrayList<>();
      for (String pattern : rule.methodPatterns()) {
        names.add(Glob.compile(pattern));
      }
      methodPatterns.add(names);
    }
  }

  /** The rules' type globs as regular expressions over binary names, in rule order. */
  public List<Pattern> typePatterns() {
    return java.util.Collections.unmodifiableList(typePatterns);
  }

  public AgentBuilder install(AgentBuilder builder) {
    if (rules.isEmpty()) {
      return builder;
    }
    ElementMatcher.Junction<TypeDescription> anyRule = ElementMatchers.none();
    for (MethodRule rule : rules) {
      anyRule = anyRule.or(hasSuperType(nameMatches(Glob.toRegex(rule.typePattern()))));
    }
    return builder.type(not(isInterface()).and(anyRule)).transform(this::transform);
  }

  private DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
      ClassLoader loader, JavaModule module, ProtectionDomain domain) {
    for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
      if (method.isAbstract() || method.isNative() || method.isConstructor()
          || method.isTypeInitializer() || method.isSynthetic() || method.isBridge()) {
        continue;
      }
      MethodRule rule = ruleFor(type, method);
      if (rule == null) {
        continue;
      }
      CompiledRule compiled = compile(rule, type, method);
      if (compiled == null) {
        continue;
      }
      int id = registry.register(compiled);
      builder = builder.visit(Advice.withCustomMapping()
          .bind(RuleId.class, id)
          .to(MethodAdvice.class)
          .on(ElementMatchers.is(method)));
      AgentLog.debug("tracing " + compiled.methodLabel() + " as " + compiled.spanName() + " (" + rule.label() + ")");
    }
    return builder;
  }

  /** The first rule whose type pattern matches {@code type} or a supertype, and whose method glob matches. */
  private MethodRule ruleFor(TypeDescription type, MethodDescription method) {
    for (int i = 0; i < rules.size(); i++) {
      if (matchesMethod(methodPatterns.get(i), method.getName())
          && matchesTypeOrSuper(typePatterns.get(i), type)) {
        return rules.get(i);
      }
    }
    return null;
  }

  private static boolean matchesMethod(List<Pattern> patterns, String name) {
    for (Pattern pattern : patterns) {
      if (pattern.matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesTypeOrSuper(Pattern pattern, TypeDefinition type) {
    if (type == null) {
      return false;
    }
    if (pattern.matcher(type.asErasure().getName()).matches()) {
      return true;
    }
    for (TypeDescription.Generic i : type.getInterfaces()) {
      if (matchesTypeOrSuper(pattern, i)) {
        return true;
      }
    }
    return type.getSuperClass() != null && matchesTypeOrSuper(pattern, type.getSuperClass());
  }

  private static CompiledRule compile(MethodRule rule, TypeDescription type, MethodDescription method) {
    String label = type.getName() + "#" + method.getName();
    Map<String, CompiledExpression> attributes = new LinkedHashMap<>();
    String current = null;
    try {
      for (Map.Entry<String, String> e : rule.expressions().entrySet()) {
        current = e.getValue();
        attributes.put(e.getKey(), ExpressionCompiler.compile(Expression.parse(e.getValue()), method));
      }
      CompiledExpression value = null;
      if (rule.valueExpression() != null) {
        current = rule.valueExpression();
        value = ExpressionCompiler.compile(Expression.parse(rule.valueExpression()), method);
      }
      String spanName = rule.spanName()
          .replace("{method}", method.getName())
          .replace("{class}", type.getSimpleName())
          .replace("{operation}", rule.operation() == null ? "" : rule.operation());
      return new CompiledRule(rule, spanName, label, attributes, value);
    } catch (IllegalArgumentException e) {
      AgentLog.error("rule " + rule.label() + ": expression '" + current + "' " + e.getMessage()
          + "; " + label + " is not traced", null);
      return null;
    }
  }
}
