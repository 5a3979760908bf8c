package io.memtrace.collector.ingest;

import io.memtrace.collector.Log;
import io.memtrace.common.redis.CommandSpec;
import io.memtrace.common.redis.RedisCommandFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Redis span's statement as {@link StatementKeys} reads it: the attribute that holds it, and the one command whose
 * key facts stand for the span, read in the dialect of the instrumentation that wrote it ({@link StatementDialect}).
 */
final class SpanStatement {

  private static volatile Map<String, CommandSpec> specs;
  private static final AtomicBoolean warned = new AtomicBoolean();

  private SpanStatement() {
  }

  private static Map<String, CommandSpec> specs() {
    Map<String, CommandSpec> table = specs;
    if (table == null) {
      try {
        table = RedisCommandFiles.specs();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read memtrace's Redis command table", e);
      }
      specs = table;
    }
    return table;
  }

  /** The attribute that holds the span's statement, the newer conventions' first; null when there is none. */
  static String attribute(Map<String, Object> attributes) {
    return attributes.get("db.query.text") instanceof String ? "db.query.text"
        : attributes.get("db.statement") instanceof String ? "db.statement" : null;
  }

  /**
   * The command {@link StatementKeys#derive} reads the facts of a span of the scope {@code scope} from, its keys as
   * trusted: the statement's first command that names a key, else its first; null when none reads.
   */
  static StatementCommand command(Map<String, Object> attributes, String scope) {
    String from = attribute(attributes);
    if (from == null) {
      return null;
    }
    StatementDialect dialect = StatementDialect.of(scope);
    Object operation = attributes.containsKey("db.operation.name") ? attributes.get("db.operation.name")
        : attributes.get("db.operation");
    // the Java agent's batch spans (PIPELINE, MULTI) join their commands with ';': split only those
    boolean batch = dialect == StatementDialect.JAVA && (attributes.containsKey("db.operation.batch.size")
        || (operation instanceof String o && (o.startsWith("PIPELINE") || o.startsWith("MULTI"))));
    Object size = attributes.get("db.operation.batch.size");
    return first((String) attributes.get(from), dialect, batch, size instanceof Number n ? n.longValue() : -1);
  }

  /**
   * The first command of the statement that names a key, else its first command; null when none reads. In a batch
   * (split at ';'), a part that names no known command, or more parts than the batch's size, show a key that held a
   * ';': then every key of the batch is unknown.
   */
  private static StatementCommand first(String statement, StatementDialect dialect, boolean batch, long batchSize) {
    List<StatementCommand> commands = new ArrayList<>();
    boolean split = false;
    for (String line : StatementWords.lines(statement, dialect.marks().splitsLines(), batch)) {
      StatementCommand command;
      try {
        command = StatementCommand.parse(line, specs(), dialect);
      } catch (RuntimeException e) {
        // a statement this reader cannot follow is stored as it came, without keys
        if (!warned.getAndSet(true)) {
          Log.warn("a Redis statement could not be read for its keys; such spans are stored without them: " + e);
        }
        return null;
      }
      if (command != null && !dialect.trusted(command)) {
        command.distrust();
      } else if (command != null && dialect.counted(command)) {
        command.counted();
      }
      if (!batch && command != null && !command.keys().isEmpty()) {
        return command;
      }
      split |= batch && (command == null || !command.known());
      if (command != null) {
        commands.add(command);
      }
    }
    if (split || (batchSize >= 0 && commands.size() > batchSize)) {
      commands.forEach(StatementCommand::distrust);
    }
    for (StatementCommand command : commands) {
      if (!command.keys().isEmpty()) {
        return command;
      }
    }
    return commands.isEmpty() ? null : commands.get(0);
  }
}
