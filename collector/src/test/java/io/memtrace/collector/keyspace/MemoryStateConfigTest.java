package io.memtrace.collector.keyspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.CollectorException;
import io.memtrace.testsupport.MemtraceYaml;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryStateConfigTest {

  @TempDir
  Path dir;

  private MemoryStateConfig read(String yaml) throws IOException {
    return MemoryStateConfig.read(MemtraceYaml.write(dir, yaml));
  }

  @Test
  void shouldMapTheDemosLayeredMemoryByDefault() throws IOException {
    // the demo's own file names no rule and no memory-state: the agent's defaults on both sides
    MemoryStateConfig config = MemoryStateConfig.read(Paths.get("../demo-app/memtrace.yaml"));
    String[][] keys = {
        {"session:auth-session-001:messages", "session"}, {"cache:jwt-libraries", "cache"}, {"cache:index", "cache"},
        {"deep:memory:1", "deep"}, {"deep:tag:jwt", "deep"}, {"deep:next-id", "deep"}, {"paf:AUTH-001", null},
        {"aqe/test-plans:test-plan-x", null}};
    for (String[] k : keys) {
      String ns = config.namespaceRule().namespace(k[0]);
      assertThat(config.layers().layerOf(ns)).as(k[0]).isEqualTo(k[1]);
    }
    assertThat(config.layers().isDeepRecord(config.namespaceRule().namespace("deep:memory:7"))).isTrue();
    assertThat(config.layers().isDeepRecord(config.namespaceRule().namespace("deep:tag:jwt"))).isFalse();
  }

  @Test
  void shouldReadTheAgentsRuleAndTheLayersFromOneFile() throws IOException {
    MemoryStateConfig config = read(String.join("\n",
        "span-prefix: aqe",
        "redis.namespace-from-key: '^([^:]+):'",
        "memory-state:",
        "  layers:",
        "    session: [conversations]",
        "    deep: 'facts*'",
        "  deep-records: [facts]",
        ""));
    assertThat(config.namespaceRule().namespace("conversations:1:2")).isEqualTo("conversations");
    assertThat(config.layers().layerOf("conversations")).isEqualTo("session");
    assertThat(config.layers().layerOf("cache")).as("a layer left out has no namespaces").isNull();
    assertThat(config.layers().layerOf("facts-index")).isEqualTo("deep");
    assertThat(config.layers().isDeepRecord("facts")).isTrue();
  }

  @Test
  void shouldReadTheRecordPatternAndNameABadOne() throws IOException {
    assertThat(MemoryStateConfig.defaults().records().text()).isEqualTo("checkpoint*:{thread}:*");
    MemoryStateConfig config = read("memory-state:\n  record-pattern: 'session:{user}:*'\n");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(config.records().regex()).matcher("session:u7:a:b");
    assertThat(m.matches()).isTrue();
    assertThat(m.group(1)).isEqualTo("u7");
    assertThat(config.records().prefix()).isEqualTo("session:");
    // the default's * stays within a segment: checkpoint_blob:t1:ns:1 is thread t1's, not ns's
    m = java.util.regex.Pattern.compile(MemoryStateConfig.defaults().records().regex()).matcher("checkpoint_blob:t1:ns:1");
    assertThat(m.matches()).isTrue();
    assertThat(m.group(1)).isEqualTo("t1");
    assertThatThrownBy(() -> read("memory-state:\n  record-pattern: 'session:*'\n"))
        .isInstanceOf(CollectorException.class).hasMessageContaining("memory-state.record-pattern")
        .hasMessageContaining("names no record id");
  }

  @Test
  void shouldReadTheTenantRuleBesideTheLayersAndNameABadPattern() throws IOException {
    MemoryStateConfig config = read(String.join("\n",
        "memory-state:",
        "  tenant:",
        "    from-conversation: '^([^:]+):'",
        "    from-attribute: tenant.id",
        "    from-key: '^(?:chat|docs):([^:]+):'",
        ""));
    assertThat(config.tenant().ofKey("docs:acme:1")).isEqualTo("acme");
    assertThat(config.tenant().attribute()).isEqualTo("tenant.id");
    assertThat(config.tenant().ofSpan(java.util.Map.of("gen_ai.conversation.id", "globex:7"))).isEqualTo("globex");
    assertThat(config.layers().layerOf("session")).as("the default layers stay").isEqualTo("session");
    assertThat(MemoryStateConfig.defaults().tenant().any()).isFalse();
    assertThatThrownBy(() -> read("memory-state:\n  tenant:\n    from-key: '(['\n"))
        .isInstanceOf(CollectorException.class).hasMessageContaining("line 3: memory-state.tenant.from-key is not a regular expression");
    assertThatThrownBy(() -> read("memory-state:\n  tenant:\n    from-keys: x\n"))
        .hasMessageContaining("memory-state.tenant.from-keys is not a key of memory-state.tenant");
  }

  @Test
  void shouldNameAnUnknownKeyAndItsLine() {
    assertThatThrownBy(() -> read("memory-state:\n  layers: {}\n  deep-record: [x]\n"))
        .isInstanceOf(CollectorException.class)
        .hasMessageContaining("line 3").hasMessageContaining("memory-state.deep-record is not a key of memory-state");
    assertThatThrownBy(() -> read("memory-state:\n  layers:\n    sesion: ['session:*']\n"))
        .hasMessageContaining("memory-state.layers.sesion is not a layer (known: session, cache, deep)");
    assertThatThrownBy(() -> read("memory-state:\n  layers:\n    cache: {a: b}\n"))
        .hasMessageContaining("memory-state.layers.cache must be a list of namespace globs");
  }

  @Test
  void shouldRefuseABadRuleAsTheAgentWould() {
    assertThatThrownBy(() -> read("redis:\n  namespace-from-key: '^[^:]+:'\n"))
        .hasMessageContaining("redis.namespace-from-key must have a capturing group");
    assertThatThrownBy(() -> read("redis: [unclosed\n")).hasMessageContaining("is not valid YAML");
    assertThatThrownBy(() -> MemoryStateConfig.read(dir.resolve("missing.yaml")))
        .hasMessageContaining("does not exist");
  }
}
