package io.memtrace.agent.instrumentation.method;

import io.memtrace.agent.config.Expression;
import java.util.List;

/**
 * An expression checked against one instrumented method, ready to evaluate against a call's
 * captured references on the consumer thread.
 */
public final class CompiledExpression {

  private final Expression expression;

  CompiledExpression(Expression expression) {
    this.expression = expression;
  }

  public String text() {
    return expression.text();
  }

  /**
   * Evaluates the expression for one call.
   *
   * @throws Exception when a path element cannot be read from the live object
   */
  public Object evaluate(Object self, Object[] args, Object returned) throws Exception {
    Object value;
    switch (expression.root()) {
      case THIS:
        value = self;
        break;
      case RETURN:
        value = returned;
        break;
      default:
        value = args[expression.argIndex()];
    }
    List<String> path = expression.path();
    for (int i = 0; i < path.size() && value != null; i++) {
      value = Accessors.read(value, path.get(i));
    }
    value = Accessors.unwrap(value);
    return expression.notNullTest() ? Boolean.valueOf(value != null) : value;
  }
}
