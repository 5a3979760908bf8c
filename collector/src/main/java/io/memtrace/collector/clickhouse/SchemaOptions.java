package io.memtrace.collector.clickhouse;

import io.memtrace.collector.CollectorException;
import io.memtrace.common.NamespaceRule;
import java.util.regex.Pattern;

/**
 * What shapes the DDL: the database, the cluster (null on one server), the retention in days (0 keeps
 * everything), and whether each read's writer is kept at insert ({@code memtrace_lineage}, {@code --lineage-at-insert}):
 * with each write's next access ({@code memtrace_next_access}): off by default, since their views cost the inserts the
 * exporter makes (5,000 to 20,000 spans each) 15 to 32 us a span more, and the next accesses' view 25 more at 10,000
 * spans, growing with the store (docs/fleet.md), for a report whose lineage statement then takes a sixth to a quarter
 * of its CPU, and wasted writes a fraction of theirs. The namespace rule ({@code redis.namespace-from-key}, a regular
 * expression whose group 1 is a key's namespace) is the one the views read statements' keys with; null when not given,
 * which {@link SchemaInit} takes as the rule the store's views have, or memtrace's default on a new store.
 */
public record SchemaOptions(String database, String cluster, int ttlDays, boolean keptLineage, String namespaceRule) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");

  public SchemaOptions {
    if (database == null || !ClickHouseUrl.DATABASE.matcher(database).matches()) {
      throw new CollectorException("--database " + database + ": not a plain name (letters, digits and _, not "
          + "starting with a digit)");
    }
    if (cluster != null && !NAME.matcher(cluster).matches()) {
      throw new CollectorException("--cluster " + cluster + ": not a cluster name as remote_servers declares one");
    }
    if (ttlDays < 0 || ttlDays > 36500) {
      throw new CollectorException("--ttl " + ttlDays + ": days to keep, from 1 to 36500 (0 or none keeps all)");
    }
    if (namespaceRule != null) {
      try {
        NamespaceRule.compile(namespaceRule);
      } catch (IllegalArgumentException e) {
        throw new CollectorException(NamespaceRule.KEY + " " + e.getMessage());
      }
    }
  }

  /** With the default namespace rule unless the store's views have another. */
  public SchemaOptions(String database, String cluster, int ttlDays, boolean keptLineage) {
    this(database, cluster, ttlDays, keptLineage, null);
  }

  /** Without {@code memtrace_lineage}: the default. */
  public SchemaOptions(String database, String cluster, int ttlDays) {
    this(database, cluster, ttlDays, false, null);
  }

  /** These options with {@code rule} as the namespace rule. */
  SchemaOptions withNamespaceRule(String rule) {
    return new SchemaOptions(database, cluster, ttlDays, keptLineage, rule);
  }

  /** These options with each read's writer kept at insert. */
  SchemaOptions withKeptLineage() {
    return new SchemaOptions(database, cluster, ttlDays, true, namespaceRule);
  }

  /** The rule the views are made with: the one given, else memtrace's default. */
  String namespaceRegex() {
    return namespaceRule == null ? NamespaceRule.DEFAULT : namespaceRule;
  }

  public boolean clustered() {
    return cluster != null;
  }

  /** {@code "db"."name"}. */
  String qualified(String name) {
    return "\"" + database + "\".\"" + name + "\"";
  }

  /** {@code ON CLUSTER 'name'} with a leading space, or nothing. */
  String onCluster() {
    return clustered() ? " ON CLUSTER '" + cluster + "'" : "";
  }

  /** The TTL clause on {@code timeExpression}, with a leading newline, or nothing. */
  String ttl(String timeExpression) {
    return ttlDays == 0 ? "" : "\nTTL " + timeExpression + " + toIntervalDay(" + ttlDays + ")";
  }
}
