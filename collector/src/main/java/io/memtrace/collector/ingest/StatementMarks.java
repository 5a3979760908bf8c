package io.memtrace.collector.ingest;

/**
 * The marks an instrumentation writes into its Redis statements ({@link StatementDialect}): read as marks, and
 * elsewhere as a key's own text.
 *
 * @param hidden      whether it writes {@code ?} for an argument it hid (the sanitizers')
 * @param others      whether it writes {@code [N other arguments]} for arguments it left out (Node's)
 * @param cuts        whether it ends a statement it cut with {@code ...} or {@code …} (Python's)
 * @param splitsLines whether it writes a pipeline one command a line; elsewhere a newline is an argument's own
 * @param cutsAt      the length it cuts a statement at with no mark, or 0
 */
record StatementMarks(boolean hidden, boolean others, boolean cuts, boolean splitsLines, int cutsAt) {
}
