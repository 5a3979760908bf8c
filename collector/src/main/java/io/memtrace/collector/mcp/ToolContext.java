package io.memtrace.collector.mcp;

import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.reader.StoreReader;
import java.nio.file.Path;

/**
 * What the tools answer from.
 *
 * @param readers readers of the store, one per call: the embedded store's or ClickHouse's, through the one interface
 * @param tenant  whose records a memory call may read, for the cross-tenant flags of model calls (serve's rule)
 * @param dataDir the data directory, where {@code memory_as_of} finds the scheduled snapshots; null for ClickHouse
 */
public record ToolContext(StoreReader.Factory readers, TenantRule tenant, Path dataDir) {
}
