package io.memtrace.collector.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.memtrace.collector.Visible;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How {@code query} prints a result: an aligned table, CSV, or a JSON array of objects. */
public enum ResultFormat {
  TABLE {
    @Override
    public String render(ResultTable table) {
      return TableText.render(table);
    }
  },
  CSV {
    @Override
    public String render(ResultTable table) {
      StringBuilder out = new StringBuilder();
      List<String> header = new ArrayList<>();
      table.columns().forEach(c -> header.add(Visible.text(c.name())));
      line(out, header);
      for (List<Object> row : table.rows()) {
        List<String> cells = new ArrayList<>();
        // a newline in a value is shown as \n like every control character, so each row is one line
        row.forEach(v -> cells.add(v == null ? "" : Visible.text(TableText.plain(v))));
        line(out, cells);
      }
      return out.toString();
    }

    private void line(StringBuilder out, List<String> cells) {
      for (int i = 0; i < cells.size(); i++) {
        String cell = cells.get(i);
        if (i > 0) {
          out.append(',');
        }
        if (cell.contains(",") || cell.contains("\"")) {
          out.append('"').append(cell.replace("\"", "\"\"")).append('"');
        } else {
          out.append(cell);
        }
      }
      out.append('\n');
    }
  },
  JSON {
    @Override
    public String render(ResultTable table) {
      List<Map<String, Object>> objects = new ArrayList<>();
      for (List<Object> row : table.rows()) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < row.size(); i++) {
          object.put(table.columns().get(i).name(), row.get(i));
        }
        objects.add(object);
      }
      try {
        return Visible.json(Pretty.MAPPER.writeValueAsString(objects)) + "\n";
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  };

  /**
   * Made when JSON is first written: picocli initializes this enum for every command, and an ObjectMapper loads about
   * 370 classes (0.1-0.3 s of a command's start).
   */
  private static final class Pretty {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  public abstract String render(ResultTable table);
}
