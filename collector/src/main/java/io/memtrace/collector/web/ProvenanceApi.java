package io.memtrace.collector.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.sun.net.httpserver.HttpExchange;
import io.memtrace.collector.UrlQuery;
import io.memtrace.collector.provenance.ModelCall;
import io.memtrace.collector.provenance.Provenance;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.reader.StoreReader;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/provenance?trace=ID&from=US&to=US}: the model calls of a trace that started between {@code from}
 * and {@code to} (epoch microseconds: the trace's first and last span start, which the page knows, and which keep the
 * lookup to the store's blocks of that time), each with the memory that went into its prompt, as {@link Provenance}
 * answers: {@code {"calls": [{..., "sources": [{..., "records": [...]}]}]}}, names in snake case. The tenant rule is
 * {@code serve}'s ({@code --config}).
 */
public final class ProvenanceApi extends JsonApi {

  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private final TenantRule tenant;

  /**
   * @param readers the server's own store, read with what is loaded now
   * @param tenant  whose records a memory call may read
   */
  public ProvenanceApi(StoreReader.Factory readers, TenantRule tenant) {
    super(readers, JSON);
    this.tenant = tenant;
  }

  @Override
  protected byte[] answer(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    String trace = UrlQuery.parameter(query, "trace");
    if (trace == null || !trace.matches("[0-9a-f]{32}")) {
      throw new IllegalArgumentException("trace is a trace id of 32 hex digits");
    }
    long from = Long.parseLong(String.valueOf(UrlQuery.parameter(query, "from")));
    long to = Long.parseLong(String.valueOf(UrlQuery.parameter(query, "to")));
    try (StoreReader reader = readers.open()) {
      return JSON.writeValueAsBytes(Map.of("calls", calls(reader.modelCalls(trace, from, to, tenant)),
          "tenant_rule", tenant.any()));
    }
  }

  @Override
  protected String unreadable(IllegalArgumentException e) {
    return e instanceof NumberFormatException ? "from and to are epoch microseconds" : e.getMessage();
  }

  /** Each call with its totals beside its fields, as the answer's {@code calls} holds them (also the MCP tool's JSON). */
  public static List<Map<String, Object>> calls(List<ModelCall> calls) {
    return calls.stream().map(call -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = new LinkedHashMap<>(JSON.convertValue(call, Map.class));
      fields.put("stale_records", call.staleRecords());
      fields.put("cross_tenant_reads", call.crossTenantReads());
      fields.put("oldest_ms", call.oldestMillis());
      return fields;
    }).toList();
  }
}
