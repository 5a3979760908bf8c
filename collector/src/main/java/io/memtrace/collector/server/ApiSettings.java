package io.memtrace.collector.server;

import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.provenance.TenantRule;
import java.util.Set;

/**
 * How {@code serve} guards and bounds its API.
 *
 * @param token        the bearer token {@code /api/*} requires
 * @param allowedHosts names besides localhost and this machine's addresses that {@code Host} may carry
 * @param instance     a random id of this run, in {@code collector.json} and {@code /api/status}, so a
 *                     command can tell that the server answering is the one the note names
 * @param limits       what one query may cost
 * @param tenant       the tenant rule model calls' records are judged by ({@code memory-state.tenant})
 */
public record ApiSettings(String token, Set<String> allowedHosts, String instance, QueryLimits limits,
    TenantRule tenant) {

  public ApiSettings(String token, Set<String> allowedHosts, String instance, QueryLimits limits) {
    this(token, allowedHosts, instance, limits, TenantRule.NONE);
  }
}
