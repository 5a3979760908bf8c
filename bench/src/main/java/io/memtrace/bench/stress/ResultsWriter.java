package io.memtrace.bench.stress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code stress-results.json}, shaped as issue 17 fixes it, written again after every scenario. */
final class ResultsWriter {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultsWriter() {
  }

  static void write(Path out, List<ScenarioResult> results, Map<String, Object> run) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("run", run);
    List<Map<String, Object>> scenarios = new ArrayList<>();
    for (ScenarioResult r : results) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("name", r.name);
      s.put("holds", r.holds());
      List<Map<String, Object>> checks = new ArrayList<>();
      for (Check c : r.checks) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("what", c.what());
        m.put("measured", c.measured());
        m.put("bound", c.bound());
        m.put("holds", c.holds());
        checks.add(m);
      }
      s.put("checks", checks);
      Map<String, Object> events = new LinkedHashMap<>();
      events.put("produced", r.events.produced());
      events.put("exported", r.events.exported());
      events.put("compressed", r.events.compressed());
      events.put("dropped", r.events.dropped());
      s.put("events", events);
      Map<String, Object> metrics = new LinkedHashMap<>(r.metrics);
      metrics.put("seconds", r.seconds);
      s.put("metrics", metrics);
      List<Map<String, Object>> faults = new ArrayList<>();
      for (FaultWindow f : r.faults) {
        faults.add(Map.of("label", f.label(), "from_ms", f.from(), "to_ms", f.to()));
      }
      s.put("faults", faults);
      scenarios.add(s);
    }
    root.put("scenarios", scenarios);
    Files.writeString(out.resolve("stress-results.json"), JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
  }
}
