package io.memtrace.agent.redis;

/**
 * What a pipeline or transaction span says about its commands, following the OpenTelemetry Redis
 * conventions: {@code db.operation.name} (and the span name) is {@code PIPELINE} or {@code MULTI},
 * followed by the command when every command is the same ({@code PIPELINE SET}, {@code MULTI SET});
 * {@code MULTI}, {@code EXEC} and {@code DISCARD} frame a transaction and are not among its
 * commands; {@code db.operation.batch.size} counts the commands, and is left out for a single one.
 * Reused, one per consumer.
 */
public final class BatchSummary {

  /** Commands shown in {@code db.query.text}; the rest are counted and shown as {@code ...}. */
  static final int SHOWN = 16;

  private boolean transaction;
  private String sameName;
  private boolean mixed;
  private long commands;
  private int shown;
  private final StringBuilder text = new StringBuilder();

  /** Starts a batch; {@code transaction} when it was run by {@code exec()} or {@code discard()}. */
  public BatchSummary reset(boolean transaction) {
    this.transaction = transaction;
    sameName = null;
    mixed = false;
    commands = 0;
    shown = 0;
    text.setLength(0);
    return this;
  }

  /** A command of the batch, in order, with its sanitized text. */
  public void add(RedisCommandInfo command, KeyPolicy keys) {
    if (command.isTransactionControl()) {
      transaction |= command.name().equals("MULTI");
      return;
    }
    commands++;
    if (sameName == null) {
      sameName = command.name();
    } else if (!sameName.equals(command.name())) {
      mixed = true;
    }
    if (shown++ < SHOWN) {
      text.append(text.length() > 0 ? "; " : "").append(command.queryText(keys));
    }
  }

  /**
   * Commands answered in the batch that were not recorded, so neither named nor shown. The last of
   * a transaction's is its {@code EXEC} or {@code DISCARD}.
   */
  public void notRecorded(int count) {
    if (count <= 0) {
      return;
    }
    commands += transaction ? count - 1 : count;
    mixed = true;
  }

  /** {@code PIPELINE}, {@code PIPELINE SET}, {@code MULTI} or {@code MULTI SET}. */
  public String name() {
    String prefix = transaction ? "MULTI" : "PIPELINE";
    return sameName != null && !mixed ? prefix + " " + sameName : prefix;
  }

  /** The commands in the batch, framing commands of a transaction excepted. */
  public long size() {
    return commands;
  }

  /**
   * Whether {@code db.operation.batch.size} is set: for two or more commands, and for none (an
   * empty transaction), not for one.
   */
  public boolean hasBatchSize() {
    return commands != 1;
  }

  /** The commands' texts joined by {@code ; }, or {@code null} when there is none. */
  public String queryText() {
    if (text.length() == 0) {
      return null;
    }
    return commands > Math.min(shown, SHOWN) ? text + "; ..." : text.toString();
  }
}
