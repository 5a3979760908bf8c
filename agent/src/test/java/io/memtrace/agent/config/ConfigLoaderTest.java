package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir
  Path dir;

  private static final Map<String, String> NO_ENV = Map.of();

  private Path write(String name, String yaml) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, yaml.getBytes(StandardCharsets.UTF_8));
    return file;
  }

  private ConfigResult loadYaml(String yaml) throws IOException {
    return YamlConfigs.load(dir, yaml);
  }

  private static Properties props(String... keyValues) {
    Properties props = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      props.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return props;
  }

  @Test
  void shouldUseEveryDefaultWithoutFileEnvOrProperties() {
    ConfigResult result = ConfigLoader.load(null, NO_ENV, new Properties());

    MemtraceConfig config = result.config();
    assertThat(result.problems()).isEmpty();
    assertThat(result.agentEnabled()).isTrue();
    assertThat(result.redisEnabled()).isTrue();
    assertThat(config.get(Settings.SPAN_PREFIX)).isEqualTo("memory");
    assertThat(config.get(Settings.CAPTURE_KEYS)).isTrue();
    assertThat(config.get(Settings.CAPTURE_VALUES).isOff()).isTrue();
    assertThat(config.get(Settings.CAPTURE_REDACT_KEYS)).isEmpty();
    assertThat(config.get(Settings.REDIS_ENABLED)).isTrue();
    assertThat(config.get(Settings.REDIS_NAMESPACE_FROM_KEY).pattern()).isEqualTo("^(.*)[:/][^:/]*$");
    assertThat(config.get(Settings.RING_SIZE)).isEqualTo(8192);
    assertThat(config.get(Settings.SHUTDOWN_TIMEOUT_MS)).isEqualTo(5000);
    assertThat(config.get(Settings.CAPTURE_VALUE_SIZE).equals("json")).isFalse();
    assertThat(config.get(Settings.CONVENTIONS)).isEqualTo("both");
    assertThat(config.methodRules()).isEmpty();
    assertThat(Profiles.enabled(config)).extracting(Profiles.Profile::name).containsExactly("spring-ai", "langchain4j");
  }

  @Test
  void shouldMatchDefaultsOfMemtraceConfig() {
    MemtraceConfig defaults = MemtraceConfig.defaults();

    assertThat(defaults.get(Settings.RING_SIZE)).isEqualTo(8192);
    assertThat(defaults.get(Settings.SPAN_PREFIX)).isEqualTo("memory");
  }

  @Test
  void shouldTreatEmptyFileAsAllDefaults() throws IOException {
    ConfigResult result = loadYaml("");

    assertThat(result.problems()).isEmpty();
    assertThat(result.config().get(Settings.RING_SIZE)).isEqualTo(8192);
  }

  @Test
  void shouldParseEveryKeyFromNestedYaml() throws IOException {
    ConfigResult result = loadYaml(String.join("\n",
        "span-prefix: aqe",
        "capture:",
        "  keys: false",
        "  values: true",
        "  redact-keys:",
        "    - 'session:*'",
        "    - 'token:?'",
        "  value-size: json",
        "redis:",
        "  enabled: false",
        "  namespace-from-key: '^([^:]+):'",
        "ring:",
        "  size: 1024",
        "shutdown:",
        "  timeout-ms: 250",
        ""));

    MemtraceConfig config = result.config();
    assertThat(result.problems()).isEmpty();
    assertThat(config.get(Settings.SPAN_PREFIX)).isEqualTo("aqe");
    assertThat(config.get(Settings.CAPTURE_KEYS)).isFalse();
    assertThat(config.get(Settings.CAPTURE_VALUES).isAll()).isTrue();
    assertThat(config.get(Settings.CAPTURE_REDACT_KEYS)).containsExactly("session:*", "token:?");
    assertThat(config.get(Settings.CAPTURE_VALUE_SIZE).equals("json")).isTrue();
    assertThat(config.get(Settings.REDIS_ENABLED)).isFalse();
    assertThat(config.get(Settings.REDIS_NAMESPACE_FROM_KEY).pattern()).isEqualTo("^([^:]+):");
    assertThat(config.get(Settings.RING_SIZE)).isEqualTo(1024);
    assertThat(config.get(Settings.SHUTDOWN_TIMEOUT_MS)).isEqualTo(250);
    assertThat(result.agentEnabled()).isTrue();
    assertThat(result.redisEnabled()).as("switched off by the user").isFalse();
  }

  @Test
  void shouldParseDottedKeysAndCommaSeparatedList() throws IOException {
    ConfigResult result = loadYaml(String.join("\n",
        "ring.size: 128",
        "capture.redact-keys: 'a:*, b:*'",
        ""));

    assertThat(result.problems()).isEmpty();
    assertThat(result.config().get(Settings.RING_SIZE)).isEqualTo(128);
    assertThat(result.config().get(Settings.CAPTURE_REDACT_KEYS)).containsExactly("a:*", "b:*");
  }

  @Nested
  class Problems {

    @Test
    void shouldNameUnknownKeyAndItsLine() throws IOException {
      ConfigResult result = loadYaml(String.join("\n",
          "span-prefix: aqe",
          "capture:",
          "  keys: true",
          "  colour: red",
          ""));

      assertThat(result.problems()).singleElement().satisfies(p -> {
        assertThat(p.key()).isEqualTo("capture.colour");
        assertThat(p.origin()).endsWith("memtrace.yaml line 4");
        assertThat(p.message()).contains("is not a memtrace setting").contains("capture.keys");
        assertThat(p.toString()).contains("'capture.colour'").contains("line 4");
      });
      assertThat(loadYaml("otel:\n  service-name: x\n").problems()).singleElement()
          .satisfies(p -> assertThat(p.message()).as("an unknown section lists every key, not none")
              .doesNotContain("(known: )").contains("ring.size").contains("capture.keys"));
      assertThat(result.agentEnabled()).isFalse();
      assertThat(result.redisEnabled()).isFalse();
    }

    @Test
    void shouldRejectRingSizeThatIsNotPowerOfTwo() throws IOException {
      ConfigResult result = loadYaml("ring:\n  size: 1000\n");

      assertThat(result.problems()).singleElement().satisfies(p -> {
        assertThat(p.key()).isEqualTo("ring.size");
        assertThat(p.origin()).endsWith("line 2");
        assertThat(p.message()).contains("power of two").contains("1000");
      });
      assertThat(result.config().get(Settings.RING_SIZE)).as("falls back to the default").isEqualTo(8192);
      assertThat(result.agentEnabled()).isFalse();
    }

    @Test
    void shouldRejectRingSizeOutOfRange() throws IOException {
      ConfigResult result = loadYaml("ring.size: 32\n");

      assertThat(result.problems()).singleElement().satisfies(p -> {
        assertThat(p.key()).isEqualTo("ring.size");
        assertThat(p.message()).contains("between 64 and");
      });
      assertThat(result.config().get(Settings.RING_SIZE)).as("the nearest allowed size").isEqualTo(64);
    }

    @Test
    void shouldCapRingSizeSoATypoCannotAllocateGigabytes() throws IOException {
      ConfigResult result = loadYaml("ring.size: 16777216\n");

      assertThat(result.problems()).singleElement()
          .satisfies(p -> assertThat(p.message()).contains("between 64 and 1048576").contains("16777216"));
      assertThat(result.agentEnabled()).isFalse();
    }

    @Test
    void shouldWarnButKeepAgentOnForBadDebugFlag() {
      ConfigResult result = ConfigLoader.load(null, Map.of("MEMTRACE_DEBUG", "loud"), new Properties());

      assertThat(result.problems()).singleElement()
          .satisfies(p -> assertThat(p.effect()).isEqualTo(ConfigProblem.Effect.FALLBACK));
      assertThat(result.agentEnabled()).isTrue();
      assertThat(result.config().get(Settings.DEBUG)).isFalse();
    }

    @Test
    void shouldRejectNonNumericTimeout() throws IOException {
      ConfigResult result = loadYaml("shutdown.timeout-ms: soon\n");

      assertThat(result.problems()).singleElement().satisfies(p -> {
        assertThat(p.key()).isEqualTo("shutdown.timeout-ms");
        assertThat(p.message()).contains("whole number").contains("soon");
      });
      assertThat(result.config().get(Settings.SHUTDOWN_TIMEOUT_MS)).isEqualTo(5000);
    }

    @Test
    void shouldRejectNonBoolean() throws IOException {
      ConfigResult result = loadYaml("capture:\n  values: maybe\n");

      assertThat(result.problems()).singleElement().satisfies(p -> {
        assertThat(p.key()).isEqualTo("capture.values");
        assertThat(p.origin()).endsWith("line 2");
        assertThat(p.message()).contains("true or false").contains("maybe");
      });
      assertThat(result.config().get(Settings.CAPTURE_VALUES).isOff()).isTrue();
      assertThat(result.agentEnabled()).isFalse();
    }

    @Test
    void shouldRejectSpanPrefixWithSpaces() throws IOException {
      ConfigResult result = loadYaml("span-prefix: 'my app'\n");

      assertThat(result.problems()).singleElement()
          .satisfies(p -> assertThat(p.key()).isEqualTo("span-prefix"));
      assertThat(result.config().get(Settings.SPAN_PREFIX)).isEqualTo("memory");
    }

    @Test
    void shouldRejectListWhereSingleValueExpected() throws IOException {
      ConfigResult result = loadYaml("ring.size: [64, 128]\n");

      assertThat(result.problems()).singleElement().satisfies(p -> {
        assertThat(p.key()).isEqualTo("ring.size");
        assertThat(p.message()).contains("single value");
      });
    }

    @Test
    void shouldRejectRegexWithoutGroupAndDisableOnlyRedis() throws IOException {
      ConfigResult result = loadYaml("redis:\n  namespace-from-key: '^[^:]+:'\n");

      assertThat(result.problems()).singleElement().satisfies(p -> {
        assertThat(p.key()).isEqualTo("redis.namespace-from-key");
        assertThat(p.origin()).endsWith("line 2");
        assertThat(p.message()).contains("capturing group");
      });
      assertThat(result.config().get(Settings.REDIS_NAMESPACE_FROM_KEY).pattern()).isEqualTo("^(.*)[:/][^:/]*$");
      assertThat(result.agentEnabled()).isTrue();
      assertThat(result.redisEnabled()).isFalse();
    }

    @Test
    void shouldRejectInvalidRegexAndDisableOnlyRedis() throws IOException {
      ConfigResult result = loadYaml("redis.namespace-from-key: '^(unclosed'\n");

      assertThat(result.problems()).singleElement().satisfies(p -> {
        assertThat(p.key()).isEqualTo("redis.namespace-from-key");
        assertThat(p.message()).contains("not a valid regular expression");
      });
      assertThat(result.agentEnabled()).isTrue();
      assertThat(result.redisEnabled()).isFalse();
    }

    @Test
    void shouldDisableOnlyRedisForNonBooleanRedisEnabled() throws IOException {
      ConfigResult result = loadYaml("redis:\n  enabled: yes please\n");

      assertThat(result.problems()).singleElement()
          .satisfies(p -> assertThat(p.key()).isEqualTo("redis.enabled"));
      assertThat(result.agentEnabled()).isTrue();
      assertThat(result.redisEnabled()).isFalse();
    }

    @Test
    void shouldDisableOnlyRedisForUnknownRedisKey() throws IOException {
      ConfigResult result = loadYaml("redis:\n  enabled: true\n  hosts: x\n");

      assertThat(result.problems()).singleElement().satisfies(p -> {
        assertThat(p.key()).isEqualTo("redis.hosts");
        assertThat(p.origin()).endsWith("line 3");
      });
      assertThat(result.agentEnabled()).isTrue();
      assertThat(result.redisEnabled()).isFalse();
    }

    @Test
    void shouldDisableAgentWhenRedisAndOtherSectionsBothHaveProblems() throws IOException {
      ConfigResult result = loadYaml("redis.enabled: nope\nring.size: 100\n");

      assertThat(result.problems()).extracting(ConfigProblem::key)
          .containsExactlyInAnyOrder("redis.enabled", "ring.size");
      assertThat(result.agentEnabled()).isFalse();
      assertThat(result.redisEnabled()).isFalse();
    }

    @Test
    void shouldReportInvalidYamlWithItsLine() throws IOException {
      ConfigResult result = loadYaml(String.join("\n",
          "span-prefix: aqe",
          "ring:",
          "  size: [64",
          "capture: true",
          ""));

      assertThat(result.problems()).singleElement().satisfies(p -> {
        assertThat(p.key()).isEqualTo("(file)");
        assertThat(p.origin()).as("where the parser gave up").endsWith("memtrace.yaml line 4");
        assertThat(p.message()).startsWith("is not valid YAML");
        assertThat(p.toString()).as("no made-up key quoted").contains("memtrace.yaml line 4: the file is not valid YAML")
            .doesNotContain("'(file)'");
      });
      assertThat(result.agentEnabled()).isFalse();
    }

    @Test
    void shouldReportTabIndentationOnItsExactLine() throws IOException {
      ConfigResult result = loadYaml("span-prefix: aqe\nring:\n\tsize: 64\n");

      assertThat(result.problems()).singleElement().satisfies(p -> {
        assertThat(p.key()).isEqualTo("(file)");
        assertThat(p.origin()).endsWith("memtrace.yaml line 3");
      });
    }

    @Test
    void shouldReportKeySetTwiceInFile() throws IOException {
      ConfigResult result = loadYaml("ring.size: 128\nring.size: 256\n");

      assertThat(result.problems()).singleElement().satisfies(p -> {
        assertThat(p.key()).isEqualTo("ring.size");
        assertThat(p.origin()).endsWith("memtrace.yaml line 2");
      });
    }

    @Test
    void shouldRejectFileThatIsNotMapping() throws IOException {
      ConfigResult result = loadYaml("- a\n- b\n");

      assertThat(result.problems()).singleElement().satisfies(p -> {
        assertThat(p.key()).isEqualTo("(file)");
        assertThat(p.message()).contains("must be a mapping");
      });
    }

    @Test
    void shouldReportMissingConfigFile() {
      Path missing = dir.resolve("nope.yaml");

      ConfigResult result = ConfigLoader.load("config=" + missing, NO_ENV, new Properties());

      assertThat(result.problems()).singleElement().satisfies(p -> {
        assertThat(p.key()).isEqualTo("config");
        assertThat(p.origin()).isEqualTo(missing.toString());
        assertThat(p.message()).contains("does not exist");
      });
      assertThat(result.agentEnabled()).isFalse();
      assertThat(result.config().get(Settings.RING_SIZE)).isEqualTo(8192);
    }

    @Test
    void shouldNameEnvironmentVariableAsOriginOfBadOverride() {
      ConfigResult result = ConfigLoader.load(null, Map.of("MEMTRACE_RING_SIZE", "many"),
          new Properties());

      assertThat(result.problems()).singleElement().satisfies(p -> {
        assertThat(p.key()).isEqualTo("ring.size");
        assertThat(p.origin()).isEqualTo("environment variable MEMTRACE_RING_SIZE");
      });
    }
  }

  @Nested
  class Overrides {

    @Test
    void shouldDisableRedisFromEnvironment() throws IOException {
      Path file = write("memtrace.yaml", "redis:\n  enabled: true\n");

      ConfigResult result = ConfigLoader.load("config=" + file,
          Map.of("MEMTRACE_REDIS_ENABLED", "false"), new Properties());

      assertThat(result.problems()).isEmpty();
      assertThat(result.config().get(Settings.REDIS_ENABLED)).isFalse();
      assertThat(result.agentEnabled()).isTrue();
      assertThat(result.redisEnabled()).isFalse();
    }

    @Test
    void shouldSplitRedactKeysFromEnvironment() throws IOException {
      Path file = write("memtrace.yaml", "capture:\n  redact-keys: ['x:*']\n");

      ConfigResult result = ConfigLoader.load("config=" + file,
          Map.of("MEMTRACE_CAPTURE_REDACT_KEYS", "a:*,b:*"), new Properties());

      assertThat(result.problems()).isEmpty();
      assertThat(result.config().get(Settings.CAPTURE_REDACT_KEYS)).containsExactly("a:*", "b:*");
    }

    @Test
    void shouldOverrideFileWithSystemProperty() throws IOException {
      Path file = write("memtrace.yaml", "ring:\n  size: 1024\n");

      ConfigResult result = ConfigLoader.load("config=" + file, NO_ENV,
          props("memtrace.ring.size", "256"));

      assertThat(result.problems()).isEmpty();
      assertThat(result.config().get(Settings.RING_SIZE)).isEqualTo(256);
    }

    @Test
    void shouldPreferPropertyOverEnvironmentOverFileOverDefault() throws IOException {
      Path file = write("memtrace.yaml",
          "ring.size: 1024\nshutdown.timeout-ms: 100\nspan-prefix: fromfile\n");
      Map<String, String> env = Map.of(
          "MEMTRACE_RING_SIZE", "2048",
          "MEMTRACE_SHUTDOWN_TIMEOUT_MS", "200");
      Properties props = props("memtrace.ring.size", "4096");

      MemtraceConfig config = ConfigLoader.load("config=" + file, env, props).config();

      assertThat(config.get(Settings.RING_SIZE)).as("property beats env and file").isEqualTo(4096);
      assertThat(config.get(Settings.SHUTDOWN_TIMEOUT_MS)).as("env beats file").isEqualTo(200);
      assertThat(config.get(Settings.SPAN_PREFIX)).as("file beats default").isEqualTo("fromfile");
      assertThat(config.get(Settings.CAPTURE_KEYS)).as("default").isTrue();
    }

    @Test
    void shouldApplyOverridesWithoutAnyFile() {
      ConfigResult result = ConfigLoader.load(null, Map.of("MEMTRACE_CAPTURE_VALUES", "TRUE"),
          props("memtrace.span-prefix", "svc"));

      assertThat(result.problems()).isEmpty();
      assertThat(result.config().get(Settings.CAPTURE_VALUES).isAll()).isTrue();
      assertThat(result.config().get(Settings.SPAN_PREFIX)).isEqualTo("svc");
    }
  }

  @Nested
  class FileLocation {

    @Test
    void shouldReadFileNamedInAgentArguments() throws IOException {
      Path file = write("args.yaml", "ring.size: 128\n");

      ConfigResult result = ConfigLoader.load("foo=bar, config=" + file, NO_ENV, new Properties());

      assertThat(result.config().get(Settings.RING_SIZE)).isEqualTo(128);
    }

    @Test
    void shouldReadFileNamedInSystemProperty() throws IOException {
      Path file = write("prop.yaml", "ring.size: 256\n");

      ConfigResult result = ConfigLoader.load(null, NO_ENV, props("memtrace.config", file.toString()));

      assertThat(result.config().get(Settings.RING_SIZE)).isEqualTo(256);
    }

    @Test
    void shouldReadFileNamedInEnvironment() throws IOException {
      Path file = write("env.yaml", "ring.size: 512\n");

      ConfigResult result = ConfigLoader.load(null, Map.of("MEMTRACE_CONFIG", file.toString()),
          new Properties());

      assertThat(result.config().get(Settings.RING_SIZE)).isEqualTo(512);
    }

    @Test
    void shouldPreferAgentArgumentsOverPropertyOverEnvironment() throws IOException {
      String args = write("args.yaml", "").toString();
      String prop = write("prop.yaml", "").toString();
      String env = write("env.yaml", "").toString();

      assertThat(ConfigLoader.configFile("config=" + args, Map.of("MEMTRACE_CONFIG", env),
          props("memtrace.config", prop))).isEqualTo(args);
      assertThat(ConfigLoader.configFile(null, Map.of("MEMTRACE_CONFIG", env),
          props("memtrace.config", prop))).isEqualTo(prop);
      assertThat(ConfigLoader.configFile("", Map.of("MEMTRACE_CONFIG", env), new Properties()))
          .isEqualTo(env);
      assertThat(ConfigLoader.configFile(null, NO_ENV, new Properties())).isNull();
    }
  }
}
