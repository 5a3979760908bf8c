package io.memtrace.agent.instrumentation.method;

import io.memtrace.agent.bootstrap.MethodHooks;
import io.memtrace.agent.util.AgentLog;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Compiled rules by id. Classes are transformed on whatever thread loads them; the consumer thread
 * looks rules up by the id the advice carries. An id packs the rule's index
 * ({@link MethodHooks#INDEX_MASK}), its operation group ({@link MethodHooks#GROUP_SHIFT}: one per
 * memory operation on one rule type, so overloads and overrides of the same operation share it)
 * and its kind's flag ({@link MethodHooks#TASK_FLAG}, {@link MethodHooks#HANDOFF_FLAG},
 * {@link MethodHooks#MODEL_FLAG}).
 */
public final class RuleRegistry {

  private final CopyOnWriteArrayList<CompiledRule> rules = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> groups = new HashMap<>();

  /** The id of {@code rule}, or -1 (reported once) when the registry is full. */
  int register(CompiledRule rule) {
    synchronized (rules) {
      int index = rules.size();
      String groupKey = rule.isTask() ? null : rule.rule().typePattern() + "#" + rule.rule().operation();
      int group = groupKey == null ? 0 : groups.computeIfAbsent(groupKey, k -> groups.size() + 1);
      if (index > MethodHooks.INDEX_MASK || group > MethodHooks.MAX_GROUP) {
        AgentLog.warnOnce("rule-registry-full", "more than " + (MethodHooks.INDEX_MASK + 1)
            + " methods or " + MethodHooks.MAX_GROUP + " operations are traced; " + rule.methodLabel()
            + " and later ones are not (warned once)", null);
        return -1;
      }
      rules.add(rule);
      int id = index | group << MethodHooks.GROUP_SHIFT;
      switch (rule.rule().kind()) {
        case TASK:
          return id | MethodHooks.TASK_FLAG;
        case HANDOFF:
          return id | MethodHooks.HANDOFF_FLAG;
        case MODEL:
          return id | MethodHooks.MODEL_FLAG;
        case MODEL_STREAM:
          return id | MethodHooks.MODEL_FLAG | MethodHooks.STREAM_FLAG;
        case MODEL_CALLBACK:
          return id | MethodHooks.MODEL_FLAG | MethodHooks.HANDLER_FLAG;
        case STREAM_END:
          return id | MethodHooks.HANDLER_FLAG;
        case STREAM_CHECK:
          return id | MethodHooks.HANDLER_FLAG | MethodHooks.STREAM_FLAG;
        default:
          return id;
      }
    }
  }

  /** The rule with this id, or {@code null}. */
  public CompiledRule get(int id) {
    int index = id & MethodHooks.INDEX_MASK;
    return id >= 0 && index < rules.size() ? rules.get(index) : null;
  }
}
