package io.memtrace.collector.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/** What every client must see of the tools: seven, in the order of use, each read-only with an object schema. */
final class McpToolSchemas {

  static final List<String> NAMES = List.of("memory_overview", "find_traces", "trace_memory", "key_timeline",
      "model_call_memory", "memory_as_of", "query");

  private McpToolSchemas() {
  }

  @SuppressWarnings("unchecked")
  static void check(List<McpSchema.Tool> tools) {
    assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyElementsOf(NAMES);
    for (McpSchema.Tool tool : tools) {
      assertThat(tool.description()).as(tool.name()).hasSizeGreaterThan(100);
      assertThat(tool.annotations().readOnlyHint()).as(tool.name()).isTrue();
      assertThat(tool.annotations().destructiveHint()).as(tool.name()).isFalse();
      Map<String, Object> schema = tool.inputSchema();
      assertThat(schema).containsEntry("type", "object").containsEntry("additionalProperties", false);
      Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
      properties.forEach((name, property) -> assertThat((Map<String, Object>) property).as(tool.name() + "." + name)
          .containsKeys("type", "description"));
      if (properties.containsKey("limit")) {
        assertThat((Map<String, Object>) properties.get("limit")).containsKeys("maximum", "default");
      }
    }
    Map<String, List<String>> required = Map.of("trace_memory", List.of("trace_id"), "key_timeline", List.of("key"),
        "model_call_memory", List.of("trace_id"), "memory_as_of", List.of("at", "namespace"), "query", List.of("sql"));
    required.forEach((name, fields) -> assertThat(tools.stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow().inputSchema().get("required")).as(name).isEqualTo(fields));
  }
}
