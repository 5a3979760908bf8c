package io.memtrace.collector.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The one place that reads a memory span whichever names it carries: memtrace's own names
 * ({@code memory.operation}, {@code memory.namespace}, {@code memory.key}, {@code memory.result_count},
 * {@code memory.item_count}), the OpenTelemetry GenAI memory conventions' ({@code gen_ai.operation.name},
 * {@code gen_ai.memory.store.id}, {@code gen_ai.memory.record.id}, {@code gen_ai.memory.record.count}), or
 * both, as the agent's {@code conventions: seed | genai | both} chooses. The same rules serve the time
 * series (over a span's attributes) and, as SQL, the report and the trace view.
 *
 * <p>A span is one memory operation, read by one set of names: by the seed names when it carries
 * {@code memory.operation} (they are the more specific: {@code retrieve} and {@code search} are both
 * {@code search_memory}), else by the GenAI names when its {@code gen_ai.operation.name} is a memory
 * operation. Any other {@code gen_ai.operation.name} ({@code chat}, {@code embeddings}) belongs to a model
 * call. Read by the GenAI names, the operation is memtrace's again, so a workload reads the same under
 * either convention: {@code upsert_memory} is {@code store}, {@code delete_memory} {@code delete},
 * {@code create_memory} {@code create}, {@code update_memory} {@code update}; {@code search_memory} is a
 * {@code retrieve} when it names one record and either says whether it was found ({@code memory.found})
 * or counts no records, and otherwise a {@code search}; {@code create_memory_store} and
 * {@code delete_memory_store} keep their names. The namespace is the store id, the key the record id, and
 * the record count a search's or retrieve's result count, else an item count.
 */
public final class MemoryConventions {

  static final String OPERATION = "memory.operation";
  static final String NAMESPACE = "memory.namespace";
  static final String KEY = "memory.key";
  static final String FOUND = "memory.found";
  static final String RESULT_COUNT = "memory.result_count";
  static final String ITEM_COUNT = "memory.item_count";
  static final String GENAI_OPERATION = "gen_ai.operation.name";
  static final String STORE_ID = "gen_ai.memory.store.id";
  static final String RECORD_ID = "gen_ai.memory.record.id";
  static final String RECORD_COUNT = "gen_ai.memory.record.count";

  private static final String SEARCH_MEMORY = "search_memory";
  /** The GenAI memory operations other than {@code search_memory}, with memtrace's name for each. */
  private static final Map<String, String> OPERATIONS = new LinkedHashMap<>();

  static {
    OPERATIONS.put("upsert_memory", "store");
    OPERATIONS.put("delete_memory", "delete");
    OPERATIONS.put("create_memory", "create");
    OPERATIONS.put("update_memory", "update");
    OPERATIONS.put("create_memory_store", "create_memory_store");
    OPERATIONS.put("delete_memory_store", "delete_memory_store");
  }

  private MemoryConventions() {
  }

  /** The memory operation of a span with these attributes; null when it is not a memory operation. */
  public static String operation(Function<String, Object> attribute) {
    Object seed = attribute.apply(OPERATION);
    return seed != null ? seed.toString() : genAiOperation(attribute);
  }

  /** The namespace: {@code memory.namespace}, or the store id of a span read by its GenAI names. */
  public static Object namespace(Function<String, Object> attribute) {
    return attribute.apply(genAiOnly(attribute) ? STORE_ID : NAMESPACE);
  }

  /** The key: {@code memory.key}, or the record id of a span read by its GenAI names. */
  public static Object key(Function<String, Object> attribute) {
    return attribute.apply(genAiOnly(attribute) ? RECORD_ID : KEY);
  }

  private static boolean genAiOnly(Function<String, Object> attribute) {
    return attribute.apply(OPERATION) == null && genAiOperation(attribute) != null;
  }

  private static String genAiOperation(Function<String, Object> attribute) {
    Object genAi = attribute.apply(GENAI_OPERATION);
    if (genAi == null) {
      return null;
    }
    if (SEARCH_MEMORY.equals(genAi.toString())) {
      return attribute.apply(RECORD_ID) != null
          && (attribute.apply(FOUND) != null || attribute.apply(RECORD_COUNT) == null) ? "retrieve" : "search";
    }
    return OPERATIONS.get(genAi.toString());
  }

  /**
   * SQL predicate of a span read by its GenAI names, given the SQL that reads each attribute as its
   * {@link PromotedAttributes} column holds it: the column itself, or {@code TRY_CAST(attributes['k'] AS type)}.
   */
  public static String genAiOnlySql(Function<String, String> attribute) {
    return attribute.apply(OPERATION) + " IS NULL AND " + attribute.apply(GENAI_OPERATION) + " IN ('" + SEARCH_MEMORY
        + "', '" + String.join("', '", OPERATIONS.keySet()) + "')";
  }

  /** SQL of {@link #operation}, attributes read as in {@link #genAiOnlySql}. */
  public static String operationSql(Function<String, String> attribute) {
    return "coalesce(" + attribute.apply(OPERATION) + ", " + genAiOperationSql(attribute) + ")";
  }

  private static String genAiOperationSql(Function<String, String> attribute) {
    StringBuilder sql = new StringBuilder("CASE ").append(attribute.apply(GENAI_OPERATION)).append(" WHEN '")
        .append(SEARCH_MEMORY).append("' THEN CASE WHEN ").append(attribute.apply(RECORD_ID)).append(" IS NOT NULL AND (")
        .append(attribute.apply(FOUND)).append(" IS NOT NULL OR ").append(attribute.apply(RECORD_COUNT))
        .append(" IS NULL) THEN 'retrieve' ELSE 'search' END");
    OPERATIONS.forEach((genAi, operation) -> sql.append(" WHEN '").append(genAi).append("' THEN '")
        .append(operation).append('\''));
    return sql.append(" END").toString();
  }

  /** SQL of {@link #namespace}, attributes read as in {@link #genAiOnlySql}. */
  public static String namespaceSql(Function<String, String> attribute) {
    return byConvention(attribute, attribute.apply(NAMESPACE), attribute.apply(STORE_ID));
  }

  /** SQL of {@link #key}, attributes read as in {@link #genAiOnlySql}. */
  public static String keySql(Function<String, String> attribute) {
    return byConvention(attribute, attribute.apply(KEY), attribute.apply(RECORD_ID));
  }

  /** SQL of a search's or retrieve's result count: {@code memory.result_count}, or the GenAI record count. */
  public static String resultCountSql(Function<String, String> attribute) {
    return byConvention(attribute, attribute.apply(RESULT_COUNT), "CASE WHEN " + genAiOperationSql(attribute)
        + " IN ('retrieve', 'search') THEN " + attribute.apply(RECORD_COUNT) + " END");
  }

  /** SQL of any other operation's item count: {@code memory.item_count}, or the GenAI record count. */
  public static String itemCountSql(Function<String, String> attribute) {
    return byConvention(attribute, attribute.apply(ITEM_COUNT), "CASE WHEN " + genAiOperationSql(attribute)
        + " NOT IN ('retrieve', 'search') THEN " + attribute.apply(RECORD_COUNT) + " END");
  }

  private static String byConvention(Function<String, String> attribute, String seed, String genAi) {
    return "CASE WHEN " + genAiOnlySql(attribute) + " THEN " + genAi + " ELSE " + seed + " END";
  }

  /**
   * SQL of the memory operations among {@code spans} (a table expression with the {@link PromotedAttributes}
   * columns) that carry the GenAI names only, and with {@code seedNamed} also those with the seed names (as
   * they are), with {@code memory_operation}, {@code memory_namespace} and {@code memory_key} as
   * {@link #operation}, {@link #namespace} and {@link #key} give them. Two branches, each filtered in the
   * scan on plain columns, and the GenAI ids passed as the columns they are, rather than one projection
   * over every span: the report's key analytics took two to four times as long that way (1M spans).
   */
  public static String memorySpansSql(String spans, boolean seedNamed) {
    String genAiOnly = "SELECT * REPLACE (" + genAiOperationSql(MemoryConventions::column) + " AS " + column(OPERATION)
        + ", " + column(STORE_ID) + " AS " + column(NAMESPACE) + ", " + column(RECORD_ID) + " AS " + column(KEY)
        + ") FROM " + spans + " WHERE " + genAiOnlySql(MemoryConventions::column);
    return "(" + (seedNamed ? "SELECT * FROM " + spans + " WHERE " + column(OPERATION) + " IS NOT NULL UNION ALL BY NAME "
        : "") + genAiOnly + ")";
  }

  /** Reads each attribute as its typed column (the report's columns; every key read above but the counts has one). */
  public static String column(String key) {
    PromotedAttributes.Column column = PromotedAttributes.of(key);
    if (column == null) {
      throw new IllegalArgumentException(key + " has no typed column");
    }
    return column.name();
  }
}
