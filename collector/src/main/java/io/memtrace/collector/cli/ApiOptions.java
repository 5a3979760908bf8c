package io.memtrace.collector.cli;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.server.ApiToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** The options of {@code serve} that guard and bound its API: the token, the allowed hosts, the query limits. */
final class ApiOptions {

  @Option(names = "--api-token", paramLabel = "TOKEN",
      description = {"Bearer token that /api/* requires (at least 16 characters; MEMTRACE_API_TOKEN works too and",
          "stays out of the process list). Without one, a random token is written to DIR/api-token (mode 0600)."})
  String apiToken;

  @Option(names = "--allowed-host", paramLabel = "NAME",
      description = {"A host name requests may carry in their Host header besides localhost and this machine's",
          "addresses, e.g. the service name in Docker Compose. Repeat for more."})
  List<String> allowedHosts = new ArrayList<>();

  @Option(names = "--query-timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "Longest a query of /api/query may run before it is stopped (default: ${DEFAULT-VALUE}).")
  String queryTimeout;

  @Option(names = "--max-result-rows", paramLabel = "N", defaultValue = "100000",
      description = "Rows a query returns at most; the rest is cut and the result marked truncated (default: ${DEFAULT-VALUE}).")
  int maxResultRows;

  @Option(names = "--max-result-bytes", paramLabel = "SIZE", defaultValue = "32MiB",
      description = "Result size a query returns at most, the same way (default: ${DEFAULT-VALUE}).")
  String maxResultBytes;

  QueryLimits queryLimits() {
    try {
      return new QueryLimits(Units.duration("--query-timeout", queryTimeout), maxResultRows,
          Units.bytes("--max-result-bytes", maxResultBytes));
    } catch (IllegalArgumentException e) {
      throw new CollectorException("--query-timeout, --max-result-rows and --max-result-bytes must be positive");
    }
  }

  /** The token given with {@code --api-token} or {@code MEMTRACE_API_TOKEN}, checked; null when none was. */
  String givenToken() {
    return ApiToken.checked(apiToken != null ? apiToken : System.getenv(ApiToken.ENV));
  }

  /** Where the token came from, for the start-up line; never the token itself. */
  String tokenSource(String file) {
    return apiToken != null ? "from --api-token" : System.getenv(ApiToken.ENV) != null ? "from " + ApiToken.ENV
        : "in " + file;
  }

  Set<String> allowedHosts() {
    return allowedHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }
}
