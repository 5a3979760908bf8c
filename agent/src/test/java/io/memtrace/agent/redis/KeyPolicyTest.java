package io.memtrace.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.config.MemtraceConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KeyPolicyTest {

  private static final KeyPolicy DEFAULTS = KeyPolicy.from(MemtraceConfig.defaults());

  @Test
  void shouldTakeNamespaceUpToLastSeparatorWithDefaultRule() {
    assertThat(DEFAULTS.namespace("aqe/test-plans/x")).isEqualTo("aqe/test-plans");
    assertThat(DEFAULTS.namespace("user:42")).isEqualTo("user");
    assertThat(DEFAULTS.namespace("a:b/c")).isEqualTo("a:b");
    assertThat(DEFAULTS.namespace("plain")).isNull();
    assertThat(DEFAULTS.namespace(":42")).as("an empty namespace is none").isNull();
  }

  @Test
  void shouldFindTheDefaultNamespaceInAsciiBytesAsInTheDecodedKey() {
    for (String key : new String[] {"aqe/test-plans/x", "user:42", "a:b/c", "plain", ":42", "", "x:"}) {
      int length = DEFAULTS.namespaceLength(key.getBytes(StandardCharsets.US_ASCII));
      String fromBytes = length < 0 ? null : key.substring(0, length);

      assertThat(length).as(key).isNotEqualTo(-2);
      assertThat(fromBytes).as(key).isEqualTo(DEFAULTS.namespace(key));
    }
    assertThat(DEFAULTS.namespaceLength("clé:1".getBytes(StandardCharsets.UTF_8)))
        .as("not ASCII: decode and ask namespace()").isEqualTo(-2);
    assertThat(new KeyPolicy(true, List.of(), Pattern.compile("^([^:]+):")).namespaceLength(new byte[] {'a', ':'}))
        .as("a custom rule needs the decoded key").isEqualTo(-2);
  }

  @Test
  void shouldShowKeysAsTheyAreOnlyWhenCapturedAndNothingIsRedacted() {
    assertThat(DEFAULTS.showsKeysAsIs()).isTrue();
    assertThat(new KeyPolicy(false, List.of(), Pattern.compile("(x)")).showsKeysAsIs()).isFalse();
    assertThat(new KeyPolicy(true, List.of("secret:*"), Pattern.compile("(x)")).showsKeysAsIs()).isFalse();
  }

  @Test
  void shouldUseGroupOneOfCustomRule() {
    KeyPolicy policy = new KeyPolicy(true, List.of(), Pattern.compile("^([^:]+):"));

    assertThat(policy.namespace("tenant:user:42")).isEqualTo("tenant");
  }

  @Test
  void shouldShowKeyAsWrittenByDefault() {
    assertThat(DEFAULTS.captureKeys()).isTrue();
    assertThat(DEFAULTS.display("user:42")).isEqualTo("user:42");
  }

  @Test
  void shouldHideKeyWhenCaptureIsOff() {
    KeyPolicy policy = new KeyPolicy(false, List.of("*"), Pattern.compile("(x)"));

    assertThat(policy.display("user:42")).isNull();
  }

  @Test
  void shouldRedactMatchingKeysWithSha256Prefix() throws Exception {
    KeyPolicy policy = new KeyPolicy(true, List.of("session:*", "tok?n"), Pattern.compile("(x)"));
    byte[] digest = MessageDigest.getInstance("SHA-256")
        .digest("session:abc".getBytes(StandardCharsets.UTF_8));
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      hex.append(String.format("%02x", digest[i]));
    }
    String expected = "redacted:" + hex;

    assertThat(policy.display("session:abc")).isEqualTo(expected);
    assertThat(policy.display("session:abc")).as("stable across calls").isEqualTo(expected);
    assertThat(new KeyPolicy(true, List.of("session:*"), Pattern.compile("(x)"))
        .display("session:abc")).as("stable across policies").isEqualTo(expected);
    assertThat(policy.display("session:abd")).isNotEqualTo(expected).startsWith("redacted:");
    assertThat(policy.display("token")).startsWith("redacted:");
    assertThat(policy.display("toooken")).isEqualTo("toooken");
    assertThat(policy.display("user:session:abc")).as("globs match the whole key")
        .isEqualTo("user:session:abc");
  }

  @Test
  void shouldQuoteRegexCharactersInGlobs() {
    KeyPolicy policy = new KeyPolicy(true, List.of("a.b[1]"), Pattern.compile("(x)"));

    assertThat(policy.display("a.b[1]")).startsWith("redacted:");
    assertThat(policy.display("aXb1")).isEqualTo("aXb1");
  }
}
