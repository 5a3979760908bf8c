/**
 * The only memtrace classes that application class loaders see. The agent appends this package
 * to the bootstrap class path, so advice inlined into a class of any loader (a Spring Boot nested
 * jar, a servlet webapp) can reach the ring through {@link io.memtrace.agent.bootstrap.Bridge}.
 *
 * <p>Nothing here may depend on a class outside {@code java.*} or this package.
 */
package io.memtrace.agent.bootstrap;
