package io.memtrace.collector.query;

import io.memtrace.collector.store.AttributeTypes;
import io.memtrace.collector.store.PromotedAttributes;
import java.sql.Connection;
import java.util.Map;

/**
 * What rewriting the collector's own statements on one connection needs ({@link TypedAttributes#rewrite}): the
 * store's attribute types and whether its {@code spans} view has the typed columns, read at the first statement and
 * kept for the source's life (one report), where a user's statement reads them again each time.
 */
public final class OwnStatements {

  private Map<String, String> casts;
  private boolean inView;

  String rewrite(Connection connection, String sql) {
    if (casts == null) {
      casts = AttributeTypes.castTypes(connection);
      inView = PromotedAttributes.inView(connection);
    }
    return TypedAttributes.rewrite(sql, casts, inView);
  }
}
