package io.memtrace.deploy.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeadingSlugsTest {

  private static String slug(String text) {
    return new HeadingSlugs().next(text);
  }

  /**
   * Lower case, spaces into dashes; dots, slashes, emoji and other punctuation dropped, dashes, underscores and the
   * letters of every script kept.
   */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "Configuration | configuration",
      "Exporters: the standard OpenTelemetry settings | exporters-the-standard-opentelemetry-settings",
      "memtrace's own settings | memtraces-own-settings",
      "ring.size | ringsize",
      "v1.2 notes | v12-notes",
      "Input/output (I/O) | inputoutput-io",
      "snake_case and kebab-case | snake_case-and-kebab-case",
      "C++ & C# | c--c",
      "A -- B | a----b",
      "🚀 Deploy | -deploy",
      "Über café | über-café",
      "日本語の見出し | 日本語の見出し"})
  void shouldSlugAHeadingAsGitHubDoes(String heading, String slug) {
    assertThat(slug(heading)).isEqualTo(slug);
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
