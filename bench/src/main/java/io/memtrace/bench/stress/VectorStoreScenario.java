package io.memtrace.bench.stress;

import java.util.List;

/**
 * {@code vector-store}: large documents and embedding-like values (4–16 KB) stored, and searches
 * that return many results. memtrace's {@code memory.search.results} and {@code memory.value.size}
 * histograms, as the collector received them, must agree exactly with what the application did,
 * and nothing may be dropped.
 */
final class VectorStoreScenario extends Scenario {

  static final String NAMESPACE = "stress/vectors";

  VectorStoreScenario() {
    super("vector-store", "4-16 KB documents and embeddings, searches with many results: histograms exact, no drops");
  }

  @Override
  void play(ScenarioContext c, Rig rig, ScenarioResult r) throws Exception {
    double seconds = c.duration();
    List<String> args = c.appArgs(rig, "vector", seconds, "rate");
    AppRun run = c.traced(rig, args, seconds);
    c.metrics(r, rig, run);
    // the agent sends its last metrics at shutdown; the application has exited, so they are in
    String ns = "\"" + NAMESPACE + "\"";
    double[] searches = CollectorReads.histogram(rig, "memory.search.results", ns, "\"search\"");
    double[] sizes = CollectorReads.histogram(rig, "memory.value.size", ns, "\"store\"");
    r.metric("search_ops", run.count("search_ops")).metric("search_results_sum", run.count("search_results_sum"));
    r.metric("store_ops", run.count("store_ops")).metric("stored_value_bytes_sum", run.count("stored_value_bytes_sum"));
    r.metric("mean_results_per_search", run.value("search_results_sum") / run.value("search_ops"));
    r.metric("mean_value_bytes", run.value("stored_value_bytes_sum") / run.value("store_ops"));
    r.check(Verdicts.appUnaffected(run));
    r.check(Check.equal("memory.search.results: one point per search", (long) searches[0], run.count("search_ops")));
    r.check(Check.equal("memory.search.results: sum = results returned", (long) searches[1], run.count("search_results_sum")));
    r.check(Check.equal("memory.value.size: one point per store", (long) sizes[0], run.count("store_ops")));
    r.check(Check.equal("memory.value.size: sum = bytes stored", (long) sizes[1], run.count("stored_value_bytes_sum")));
    r.check(Check.equal("memtrace dropped nothing", run.events().dropped(), 0));
    r.check(Verdicts.accounting(run));
    r.check(Verdicts.stored(rig, c, run));
  }
}
