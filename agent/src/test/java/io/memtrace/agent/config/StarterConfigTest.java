package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.testsupport.BuildPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * docs/examples/memtrace.yaml, the starter file the README and docs/memory-managers.md show, loaded as the agent
 * loads it: no problem, three rules for the one memory manager, key redaction on, and every other setting at its
 * default.
 */
class StarterConfigTest {

  private static final Path STARTER = BuildPaths.repoPath("docs/examples/memtrace.yaml");

  private static ConfigResult load() {
    assertThat(Files.isRegularFile(STARTER)).as(STARTER + " exists").isTrue();
    return ConfigLoader.load("config=" + STARTER.toAbsolutePath(), Map.of(), new Properties());
  }

  private static List<MethodRule> ownRules(ConfigResult result) {
    List<MethodRule> own = new ArrayList<>();
    for (MethodRule rule : result.config().methodRules()) {
      if (rule.profile() == null) {
        own.add(rule);
      }
    }
    return own;
  }

  @Test
  void shouldLoadWithoutProblemsAndLeaveTheAgentOn() {
    ConfigResult result = load();

    assertThat(result.problems()).isEmpty();
    assertThat(result.agentEnabled()).isTrue();
    assertThat(result.redisEnabled()).isTrue();
  }

  @Test
  void shouldGiveStoreRetrieveAndDeleteRulesForTheOneType() {
    List<MethodRule> rules = ownRules(load());

    assertThat(rules).extracting(MethodRule::operation).containsExactly("store", "retrieve", "delete");
    assertThat(rules).allSatisfy(rule -> {
      assertThat(rule.kind()).isEqualTo(MethodRule.Kind.MEMORY);
      assertThat(rule.typePattern()).isEqualTo("com.example.notes.NoteStore");
    });
    assertThat(rules).extracting(MethodRule::methodPatterns)
        .containsExactly(List.of("save"), List.of("load"), List.of("remove"));
    assertThat(rules).extracting(MethodRule::spanName)
        .containsExactly("memory.store", "memory.retrieve", "memory.delete");
  }

  @Test
  void shouldReadKeyValueTtlAndNamespaceFromTheCall() {
    List<MethodRule> rules = ownRules(load());

    assertThat(rules.get(0).expressions()).containsOnly(
        entry("memory.key", "arg0"), entry("memory.ttl", "arg2"), entry("memory.namespace", "this.namespace"));
    assertThat(rules.get(0).valueExpression()).isEqualTo("arg1");
    assertThat(rules.get(1).expressions()).as("found is inferred from the result")
        .containsOnly(entry("memory.key", "arg0"), entry("memory.namespace", "this.namespace"));
    assertThat(rules.get(1).valueExpression()).isNull();
    assertThat(rules.get(2).expressions()).containsOnly(
        entry("memory.key", "arg0"), entry("memory.namespace", "this.namespace"));
  }

  @Test
  void shouldRedactKeysWithTokenInThemOnly() {
    MemtraceConfig config = load().config();
    KeyPolicy keys = KeyPolicy.from(config);

    assertThat(config.get(Settings.CAPTURE_REDACT_KEYS)).containsExactly("*token*");
    assertThat(keys.display("notes:token:alice")).startsWith("redacted:").doesNotContain("alice");
    assertThat(keys.display("token:alice")).startsWith("redacted:");
    assertThat(keys.display("notes:plan")).isEqualTo("notes:plan");
  }

  @Test
  void shouldLeaveEveryOtherSettingAtItsDefault() {
    MemtraceConfig config = load().config();

    List<Setting<?>> given = new ArrayList<>();
    for (Setting<?> s : Settings.all()) {
      if (config.given(s)) {
        given.add(s);
      }
    }
    assertThat(given).as("the settings the file gives").containsExactlyInAnyOrder(Settings.CAPTURE_REDACT_KEYS, Settings.CONFIG_FILE);
    assertThat(config.get(Settings.RETENTION_ENABLED)).isTrue();
    assertThat(config.get(Settings.CAPTURE_VALUES).isOff()).isTrue();
  }
}
