package io.memtrace.collector.mcp;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Visible;
import io.memtrace.collector.reader.StoreReader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tools, in the order an assistant should use them: from the overview down to one record and one model call, and
 * SQL last. A call is answered from a reader opened for it and closed after it; whatever goes wrong comes back as a
 * tool error whose message names the problem, never as a failure of the protocol, and no answer is longer than
 * {@link #MAX_CHARS}.
 */
public final class MemtraceTools {

  /** The most characters one answer holds (about 8,000 tokens); each tool's own limits keep it well under. */
  public static final int MAX_CHARS = 32_000;

  private final ToolContext context;
  private final Map<String, Tool> tools = new LinkedHashMap<>();

  public MemtraceTools(ToolContext context) {
    this.context = context;
    for (Tool tool : List.of(new MemoryOverviewTool(context), new FindTracesTool(), new TraceMemoryTool(context),
        new KeyTimelineTool(), new ModelCallMemoryTool(context), new MemoryAsOfTool(context), new QueryTool())) {
      tools.put(tool.name(), tool);
    }
  }

  /** A tool's description as the server lists it. */
  public record Listed(String name, String description, Map<String, Object> inputSchema) {
  }

  /** An answer: its text, and whether it is an error. */
  public record Answer(String text, boolean error) {
  }

  public List<Listed> list() {
    return tools.values().stream().map(t -> new Listed(t.name(), t.description(), t.inputSchema())).toList();
  }

  /** Calls the tool {@code name} with {@code arguments} as the client sent them. */
  public Answer call(String name, Map<String, Object> arguments) {
    Tool tool = tools.get(name);
    if (tool == null) {
      return new Answer("no tool named '" + Visible.text(String.valueOf(name)) + "'; the tools are " + tools.keySet(),
          true);
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> properties = (Map<String, Object>) tool.inputSchema().get("properties");
      Tool.Question question = tool.ask(new ToolArguments(name, arguments, properties.keySet(), Instant.now()));
      try (StoreReader reader = context.readers().open()) {
        return new Answer(bounded(question.answer(reader)), false);
      }
    } catch (CollectorException | IllegalArgumentException e) {
      return new Answer(Visible.text(String.valueOf(e.getMessage())), true);
    } catch (RuntimeException e) {
      return new Answer(name + " failed unexpectedly: " + Visible.text(String.valueOf(e)), true);
    }
  }

  /** The text, cut at {@link #MAX_CHARS} at a line's end with a last line that says so. */
  static String bounded(String text) {
    if (text.length() <= MAX_CHARS) {
      return text;
    }
    int cut = text.lastIndexOf('\n', MAX_CHARS - 200);
    cut = cut < 0 ? MAX_CHARS - 200 : cut + 1;
    return text.substring(0, cut) + "cut: the answer was " + text.length() + " characters, " + MAX_CHARS
        + " at most are sent; ask with a lower limit or a narrower question\n";
  }
}
