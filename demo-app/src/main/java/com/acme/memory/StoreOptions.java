package com.acme.memory;

/**
 * Where and how long a value is kept, and which agent owns it.
 *
 * @param partition namespace such as {@code aqe/test-plans}
 * @param owner the agent that stored it
 * @param ttl seconds to keep it; 0 keeps it forever
 */
public record StoreOptions(String partition, String owner, long ttl) {
}
