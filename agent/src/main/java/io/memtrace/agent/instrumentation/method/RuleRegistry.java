package io.memtrace.agent.instrumentation.method;

import io.memtrace.agent.bootstrap.MethodHooks;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Compiled rules by id. Classes are transformed on whatever thread loads them; the consumer thread
 * looks rules up by the id the advice carries. Ids of task rules carry {@link MethodHooks#TASK_FLAG}.
 */
public final class RuleRegistry {

  private final CopyOnWriteArrayList<CompiledRule> rules = new CopyOnWriteArrayList<>();

  int register(CompiledRule rule) {
    synchronized (rules) {
      rules.add(rule);
      int index = rules.size() - 1;
      return rule.isTask() ? index | MethodHooks.TASK_FLAG : index;
    }
  }

  /** The rule with this id, or {@code null}. */
  public CompiledRule get(int id) {
    int index = id & ~MethodHooks.TASK_FLAG;
    return index >= 0 && index < rules.size() ? rules.get(index) : null;
  }
}
