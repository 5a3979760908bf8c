package io.memtrace.bench.memory;

import java.time.Duration;

/**
 * How {@link DocumentMemory#store} files a document: its partition (the key prefix), the agent that
 * owns it and how long it should live. memtrace reads the components by name
 * ({@code arg2.partition}, {@code arg2.owner}, {@code arg2.ttl}) on its consumer thread.
 */
public record StoreOptions(String partition, String owner, Duration ttl) {
}
