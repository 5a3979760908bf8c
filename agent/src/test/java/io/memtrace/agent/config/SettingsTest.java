package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.testsupport.MemtraceYaml;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The declarations themselves: every default valid, every name unique, YAML only where declared. */
class SettingsTest {

  @TempDir
  Path dir;

  @Test
  void shouldGiveEverySettingWithADefaultAValidValue() {
    MemtraceConfig defaults = MemtraceConfig.defaults();

    for (Setting<?> s : Settings.all()) {
      if (s.defaultText() != null || s.inherits() != null) {
        assertThat((Object) defaults.get(s)).as(s.key()).isNotNull();
      }
    }
  }

  @Test
  void shouldRegisterEveryDeclaredSetting() throws IllegalAccessException {
    for (Class<?> holder : List.of(Settings.class, OtelSettings.class)) {
      for (Field field : holder.getDeclaredFields()) {
        if (field.getType() == Setting.class && Modifier.isStatic(field.getModifiers())) {
          assertThat(Settings.all()).as(holder.getSimpleName() + "." + field.getName())
              .contains((Setting<?>) field.get(null));
        }
      }
    }
  }

  @Test
  void shouldRefuseToReadSettingThatIsNotRegistered() {
    Setting<Boolean> stray = Setting.file("stray.flag", ValueTypes.bool(), "false", "not registered");

    assertThatThrownBy(() -> MemtraceConfig.defaults().get(stray))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stray.flag");
  }

  @Test
  void shouldGiveEverySettingItsOwnEnvironmentAndPropertyName() {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Setting<?> s : Settings.all()) {
      if (!s.isSection()) {
        assertThat(names.add(s.environmentName())).as(s.environmentName()).isTrue();
        assertThat(names.add(s.propertyName())).as(s.propertyName()).isTrue();
      }
      if (s.twinEnvironmentName() != null) {
        assertThat(names.add(s.twinEnvironmentName())).as(s.twinEnvironmentName()).isTrue();
        assertThat(names.add(s.twinPropertyName())).as(s.twinPropertyName()).isTrue();
      }
    }
  }

  @Test
  void shouldGiveEveryOpenTelemetrySettingAMemtraceTwinThatNoYamlKeyShadows() {
    for (Setting<?> s : OtelSettings.ALL) {
      String rest = s.propertyName().substring("otel.".length());
      assertThat(s.twinPropertyName()).isEqualTo("memtrace." + rest);
      assertThat(s.twinEnvironmentName()).isEqualTo("MEMTRACE_" + s.environmentName().substring("OTEL_".length()));
      assertThat(Settings.inFile(rest)).as(rest).isNull();
    }
    assertThat(OtelSettings.ENDPOINT.twinEnvironmentName()).isEqualTo("MEMTRACE_EXPORTER_OTLP_ENDPOINT");
    assertThat(Settings.TRACES_FILE.twinEnvironmentName()).isNull();
  }

  @Test
  void shouldPointTwinWrittenAsYamlKeyToItsVariable() throws IOException {
    ConfigResult result = YamlConfigs.load(dir, "exporter:\n  otlp:\n    endpoint: http://b:4318\n");

    ConfigProblems.onlyAt(result, "exporter.otlp.endpoint", "MEMTRACE_EXPORTER_OTLP_ENDPOINT",
        "-Dmemtrace.exporter.otlp.endpoint");
  }

  @Test
  void shouldRejectExporterVariableWrittenAsYamlKey() throws IOException {
    ConfigResult result = YamlConfigs.load(dir, "otel.service.name: checkout\n");

    ConfigProblems.onlyAt(result, "otel.service.name", "is not a memtrace setting");
  }

  @Test
  void shouldRecordWhichConfigFileWasRead() throws IOException {
    Path file = MemtraceYaml.write(dir, "");

    MemtraceConfig config = YamlConfigs.load(file, Map.of()).config();

    assertThat(config.get(Settings.CONFIG_FILE)).isEqualTo(file.toString());
  }
}
