package io.memtrace.deploy.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeadingSlugsTest {

  private static String slug(String text) {
    return new HeadingSlugs().next(text);
  }

  @Test
  void shouldLowerCaseAndTurnSpacesIntoDashes() {
    assertThat(slug("Configuration")).isEqualTo("configuration");
    assertThat(slug("Exporters: the standard OpenTelemetry settings")).isEqualTo("exporters-the-standard-opentelemetry-settings");
    assertThat(slug("memtrace's own settings")).isEqualTo("memtraces-own-settings");
  }

  @Test
  void shouldDropDotsSlashesAndOtherPunctuationButKeepDashesAndUnderscores() {
    assertThat(slug("ring.size")).isEqualTo("ringsize");
    assertThat(slug("v1.2 notes")).isEqualTo("v12-notes");
    assertThat(slug("Input/output (I/O)")).isEqualTo("inputoutput-io");
    assertThat(slug("snake_case and kebab-case")).isEqualTo("snake_case-and-kebab-case");
    assertThat(slug("C++ & C#")).isEqualTo("c--c");
    assertThat(slug("A -- B")).isEqualTo("a----b");
  }

  @Test
  void shouldDropEmojiAndKeepLettersOfEveryScript() {
    assertThat(slug("🚀 Deploy")).isEqualTo("-deploy");
    assertThat(slug("Über café")).isEqualTo("über-café");
    assertThat(slug("日本語の見出し")).isEqualTo("日本語の見出し");
  }

  @Test
  void shouldNumberDuplicatesAsGitHubDoes() {
    HeadingSlugs slugs = new HeadingSlugs();

    assertThat(slugs.next("Options")).isEqualTo("options");
    assertThat(slugs.next("Options")).isEqualTo("options-1");
    assertThat(slugs.next("Options")).isEqualTo("options-2");
    assertThat(slugs.next("Options-1")).isEqualTo("options-1-1");
    assertThat(slugs.next("Other")).isEqualTo("other");
  }
}
