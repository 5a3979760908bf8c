package io.memtrace.agent.instrumentation.method;

import io.memtrace.agent.config.MethodRule;
import java.util.Map;

/** A {@link MethodRule} bound to one method: its span name and its expressions, checked against the method's types. */
public final class CompiledRule {

  private final MethodRule rule;
  private final String spanName;
  private final String methodLabel;
  private final Map<String, CompiledExpression> attributes;
  private final CompiledExpression value;

  CompiledRule(MethodRule rule, String spanName, String methodLabel,
      Map<String, CompiledExpression> attributes, CompiledExpression value) {
    this.rule = rule;
    this.spanName = spanName;
    this.methodLabel = methodLabel;
    this.attributes = Map.copyOf(attributes);
    this.value = value;
  }

  public MethodRule rule() {
    return rule;
  }

  public boolean isTask() {
    return rule.kind() == MethodRule.Kind.TASK;
  }

  public String spanName() {
    return spanName;
  }

  /** {@code com.example.Memory#store}, for messages. */
  public String methodLabel() {
    return methodLabel;
  }

  /** Attribute name to compiled expression. */
  public Map<String, CompiledExpression> attributes() {
    return attributes;
  }

  /** The expression whose result is measured for {@code memory.value_size}, or {@code null}. */
  public CompiledExpression value() {
    return value;
  }
}
