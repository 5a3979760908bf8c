package io.memtrace.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NamespaceRuleTest {

  /** The default pattern applied as any user rule is: the reference the fast paths must agree with. */
  private static String byRegex(String key) {
    Matcher m = Pattern.compile(NamespaceRule.DEFAULT).matcher(key);
    return m.find() && m.group(1) != null && !m.group(1).isEmpty() ? m.group(1) : null;
  }

  @Test
  void shouldCutAtTheLastColonOrSlashWithTheDefault() {
    NamespaceRule rule = NamespaceRule.defaultRule();
    assertThat(rule.namespace("session:abc:messages")).isEqualTo("session:abc");
    assertThat(rule.namespace("aqe/test-plans:plan-1")).isEqualTo("aqe/test-plans");
    assertThat(rule.namespace("deep:next-id")).isEqualTo("deep");
    assertThat(rule.namespace("plain")).isNull();
    assertThat(rule.namespace(":leading")).isNull();
  }

  @Test
  void shouldAnswerWithoutTheRegexExactlyAsTheRegexDoes() {
    NamespaceRule rule = NamespaceRule.defaultRule();
    Random random = new Random(29);
    char[] alphabet = {'a', 'b', ':', '/', '\n', '\r', '\u0085', '\u2028', 'é', ' ', '-'};
    for (int i = 0; i < 200_000; i++) {
      StringBuilder key = new StringBuilder();
      int length = random.nextInt(9);
      for (int c = 0; c < length; c++) {
        key.append(alphabet[random.nextInt(alphabet.length)]);
      }
      String k = key.toString();
      assertThat(rule.namespace(k)).as("namespace of %s", k.replace("\n", "\\n").replace("\r", "\\r"))
          .isEqualTo(byRegex(k));
      byte[] bytes = k.getBytes(StandardCharsets.UTF_8);
      int length8 = rule.namespaceLength(bytes);
      if (length8 != -2) {
        String expected = byRegex(k);
        assertThat(length8 < 0 ? null : new String(bytes, 0, length8, StandardCharsets.UTF_8)).as("bytes of %s", k)
            .isEqualTo(expected);
      } else {
        assertThat(k.chars().anyMatch(ch -> ch > 127)).isTrue();
      }
    }
  }

  @Test
  void shouldApplyAUserRuleAsARegex() {
    NamespaceRule rule = NamespaceRule.parse("^([^:]+):");
    assertThat(rule.namespace("session:abc:messages")).isEqualTo("session");
    assertThat(rule.namespace("plain")).isNull();
    assertThat(rule.namespaceLength("a:b".getBytes(StandardCharsets.UTF_8))).isEqualTo(-2);
  }

  @Test
  void shouldExplainARuleThatCannotWork() {
    assertThatThrownBy(() -> NamespaceRule.parse("^(unclosed")).hasMessageStartingWith("is not a valid regular expression");
    assertThatThrownBy(() -> NamespaceRule.parse("^[^:]+:")).hasMessageStartingWith("must have a capturing group");
  }
}
