package io.memtrace.agent.instrumentation.method;

import io.memtrace.agent.semconv.AttributeNames;
import io.memtrace.agent.config.Expression;
import io.memtrace.agent.config.MethodRule;
import io.memtrace.agent.util.AgentLog;
import java.security.ProtectionDomain;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * Instruments the methods named by {@code memory-managers} and {@code tasks} rules, as the
 * {@link RuleMatcher} selects them. Each matched method gets the generic {@link MethodAdvice} with
 * its own rule id; its expressions are compiled then, and a rule that does not fit the method is
 * reported and the method left untouched. A {@code retrieve} rule without {@code found} gets one
 * from the method's result (see {@link #impliesFound}).
 */
public final class MethodInstrumentation {

  private static final String FOUND = AttributeNames.MEMORY_FOUND.getKey();
  /** How a retrieve without {@code found} tells a miss; {@code != null} sees an empty Optional as null. */
  private static final Expression IMPLIED_FOUND = Expression.parse("return != null");

  private final RuleMatcher matcher;
  private final RuleRegistry registry;

  public MethodInstrumentation(RuleMatcher matcher, RuleRegistry registry) {
    this.matcher = matcher;
    this.registry = registry;
  }

  public AgentBuilder install(AgentBuilder builder) {
    if (matcher.isEmpty()) {
      return builder;
    }
    return builder.type(matcher.types()).transform(this::transform);
  }

  private DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
      ClassLoader loader, JavaModule module, ProtectionDomain domain) {
    java.util.Set<String> fromProfiles = new java.util.TreeSet<>();
    String profile = null;
    for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
      MethodRule rule = matcher.ruleFor(type, method, loader);
      if (rule == null) {
        continue;
      }
      CompiledRule compiled = compile(rule, type, method);
      if (compiled == null) {
        continue;
      }
      int id = registry.register(compiled);
      if (id < 0) {
        continue;
      }
      builder = builder.visit(Advice.withCustomMapping()
          .bind(RuleId.class, id)
          .to(rule.kind() == MethodRule.Kind.MODEL_STREAM ? StreamAdvice.class : MethodAdvice.class)
          .on(ElementMatchers.is(method)));
      AgentLog.debug("tracing " + compiled.methodLabel() + " as " + compiled.spanName() + " (" + rule.label() + ")");
      if (rule.profile() != null) {
        profile = rule.profile();
        fromProfiles.add(method.getName());
      }
    }
    if (profile != null) {
      // no configuration named these: say once what the built-in profile traces, and how to stop it
      AgentLog.infoOnce("profile-" + type.getName(), "profile " + profile + ": tracing " + type.getName() + " "
          + fromProfiles + " (profiles." + profile + ": false switches it off)");
    }
    return builder;
  }

  /**
   * Whether a miss can be told from the result of a retrieve whose rule does not say how: an
   * empty {@code Optional} or {@code null} (also as a stage's completed value) is a miss. A
   * primitive result (a {@code boolean}, say) or a stage of {@code Void} cannot tell.
   */
  static boolean impliesFound(MethodRule rule, MethodDescription method) {
    if (!"retrieve".equals(rule.operation()) || rule.expressions().containsKey(FOUND)) {
      return false;
    }
    TypeDescription.Generic returned = method.getReturnType();
    if (returned.isPrimitive()) {
      return false;
    }
    if (returned.asErasure().isAssignableTo(CompletionStage.class)
        && returned.getSort().isParameterized() && !returned.getTypeArguments().isEmpty()) {
      return !returned.getTypeArguments().get(0).asErasure().represents(Void.class);
    }
    return true;
  }

  /** The rule bound to one method, or {@code null} (reported) when its expressions do not fit it. */
  static CompiledRule compile(MethodRule rule, TypeDescription type, MethodDescription method) {
    String label = type.getName() + "#" + method.getName();
    Map<String, CompiledExpression> attributes = new LinkedHashMap<>();
    String current = null;
    try {
      for (Map.Entry<String, String> e : rule.expressions().entrySet()) {
        current = e.getValue();
        attributes.put(e.getKey(), ExpressionCompiler.compile(Expression.parse(e.getValue()), method,
            rule.kind() == MethodRule.Kind.MODEL_CALLBACK));
      }
      if (impliesFound(rule, method)) {
        current = IMPLIED_FOUND.text();
        attributes.put(FOUND, ExpressionCompiler.compile(IMPLIED_FOUND, method));
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
