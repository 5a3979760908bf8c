package io.memtrace.collector.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.memtrace.collector.query.ResultJson;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.reader.Section;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** The report as Markdown (for people) or JSON (for scripts and dashboards). */
public final class ReportRenderer {

  /** Made for the first JSON report only: the Markdown report needs no ObjectMapper (370 classes to load). */
  private static final class Pretty {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  private ReportRenderer() {
  }

  /** @param pendingNote what the report lacks because a running collector had not loaded it yet, or null */
  public static String markdown(List<Section> sections, String source, String pendingNote) {
    StringBuilder out = new StringBuilder("# memtrace report\n\n_Source: ").append(source).append("_\n");
    if (pendingNote != null) {
      out.append("\n_Note: ").append(pendingNote).append("._\n");
    }
    for (Section s : sections) {
      out.append("\n## ").append(s.title()).append("\n\n");
      if (s.note() != null) {
        out.append(s.note()).append("\n\n");
      }
      s.totals().forEach((k, v) -> {
        if (!(v instanceof Map)) {
          out.append("- ").append(k).append(": ").append(v).append('\n');
        }
      });
      if (!s.totals().isEmpty()) {
        out.append('\n');
      }
      s.totals().forEach((k, v) -> {
        if (v instanceof Map && !((Map<?, ?>) v).isEmpty()) {
          out.append(perName(k, (Map<?, ?>) v)).append("\n\n");
        }
      });
      ResultTable t = s.table();
      if (t.size() == 0) {
        out.append("_none_\n");
        continue;
      }
      List<String> header = new ArrayList<>();
      t.columns().forEach(c -> header.add(c.name()));
      out.append("| ").append(String.join(" | ", header)).append(" |\n");
      out.append("|").append("---|".repeat(header.size())).append('\n');
      for (List<Object> row : t.rows()) {
        List<String> cells = new ArrayList<>();
        row.forEach(v -> cells.add(v == null ? "" : String.valueOf(v).replace("|", "\\|").replace("\n", " ")));
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
      }
    }
    return out.toString();
  }

  /** A count per name as one line: {@code By namespace: stress/leak 1,204 · session 40 · (none) 3}. */
  private static String perName(String total, Map<?, ?> counts) {
    StringJoiner line = new StringJoiner(" · ", Character.toUpperCase(total.charAt(0))
        + total.substring(1).replace('_', ' ') + ": ", "");
    counts.forEach((name, count) -> line.add((name.toString().isEmpty() ? "(none)" : name) + " "
        + String.format(Locale.ROOT, "%,d", count)));
    return line.toString();
  }

  /** @param pendingSpans spans a running collector had acknowledged and not loaded; a field only when any */
  public static String json(List<Section> sections, String source, long pendingSpans) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("source", source);
    if (pendingSpans > 0) {
      root.put(ResultJson.PENDING_SPANS, pendingSpans);
    }
    Map<String, Object> all = new LinkedHashMap<>();
    for (Section s : sections) {
      Map<String, Object> section = new LinkedHashMap<>();
      section.put("title", s.title());
      if (s.note() != null) {
        section.put("note", s.note());
      }
      section.putAll(s.totals());
      List<Map<String, Object>> rows = new ArrayList<>();
      for (List<Object> row : s.table().rows()) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < row.size(); i++) {
          object.put(s.table().columns().get(i).name(), row.get(i));
        }
        rows.add(object);
      }
      section.put("rows", rows);
      all.put(s.id(), section);
    }
    root.put("sections", all);
    try {
      return Pretty.MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
