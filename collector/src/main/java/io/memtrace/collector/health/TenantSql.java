package io.memtrace.collector.health;

import io.memtrace.collector.provenance.TenantRule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The tenant of a memory span in a store's SQL, as {@link TenantRule#ofSpan} and {@link TenantRule#ofKey} decide it. */
public final class TenantSql {

  private TenantSql() {
  }

  /**
   * The tenant of a memory span with key column {@code key}: the rule's attribute, else its conversation pattern over
   * {@code gen_ai.conversation.id}, else its key pattern over the key; NULL when none applies.
   *
   * @param attribute a span attribute's text as SQL, NULL when absent
   */
  public static String of(TenantRule rule, HealthDialect sql, Function<String, String> attribute, String key) {
    List<String> choices = new ArrayList<>();
    if (rule.attribute() != null) {
      choices.add(attribute.apply(rule.attribute()));
    }
    if (rule.conversation() != null) {
      choices.add(sql.extract(attribute.apply(TenantRule.CONVERSATION_ID), rule.conversation().pattern()));
    }
    if (rule.key() != null) {
      choices.add(sql.extract(key, rule.key().pattern()));
    }
    return choices.isEmpty() ? sql.nullText() : choices.size() == 1 ? choices.get(0)
        : "coalesce(" + String.join(", ", choices) + ")";
  }

  /** Whether the rule reads span attributes (which a store may keep apart from the typed columns). */
  public static boolean readsAttributes(TenantRule rule) {
    return rule.attribute() != null || rule.conversation() != null;
  }
}
