package io.memtrace.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.util.Utf8Text;
import io.memtrace.common.NamespaceRule;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RedisCommandInfoTest {

  private static final Pattern DEFAULT_NAMESPACE = NamespaceRule.defaultRule().pattern();
  private static final KeyPolicy KEYS = new KeyPolicy(true, List.of(), DEFAULT_NAMESPACE);
  private static final KeyPolicy NO_KEYS = new KeyPolicy(false, List.of(), DEFAULT_NAMESPACE);
  private static final KeyPolicy REDACT_SECRETS =
      new KeyPolicy(true, List.of("secret:*"), DEFAULT_NAMESPACE);

  static RedisCommandInfo command(String... args) {
    List<byte[]> raw = new ArrayList<>();
    for (String arg : args) {
      raw.add(arg.getBytes(StandardCharsets.UTF_8));
    }
    return RedisCommandInfo.of(raw);
  }

  @Nested
  class Decoding {

    @Test
    void shouldUpperCaseName() {
      assertThat(command("set", "k", "v").name()).isEqualTo("SET");
    }

    @Test
    void shouldNameEmptyCommandUnknown() {
      RedisCommandInfo info = RedisCommandInfo.of(List.of());

      assertThat(info.name()).isEqualTo("UNKNOWN");
      assertThat(info.firstKey()).isNull();
      assertThat(info.writtenBytes()).isEqualTo(-1);
      assertThat(info.ttlSeconds()).isEqualTo(-1);
    }

    @Test
    void shouldFindFirstKey() {
      assertThat(command("GET", "user:42").firstKey()).isEqualTo("user:42");
      assertThat(command("MSET", "a", "1", "b", "2").firstKey()).isEqualTo("a");
      assertThat(command("DEL", "x", "y").firstKey()).isEqualTo("x");
      assertThat(command("PING").firstKey()).isNull();
      assertThat(command("FOO", "bar").firstKey()).as("unknown commands give no key").isNull();
    }

    @Test
    void shouldClassifyReadsWritesAndTransactionControl() {
      assertThat(command("GET", "k").isRead()).isTrue();
      assertThat(command("SET", "k", "v").isWrite()).isTrue();
      assertThat(command("DEL", "k").isWrite()).isFalse();
      assertThat(command("EXEC").isTransactionControl()).isTrue();
      assertThat(command("GET", "k").isTransactionControl()).isFalse();
    }

    @Test
    void shouldTakeKeyOfObjectAfterItsSubcommand() {
      RedisCommandInfo info = command("OBJECT", "ENCODING", "secret:1");

      assertThat(info.firstKey()).isEqualTo("secret:1");
      assertThat(info.queryText(REDACT_SECRETS)).startsWith("OBJECT ENCODING redacted:");
    }
  }

  /** {@code words} as a command, and the bytes it writes. */
  private static Arguments written(int bytes, String... words) {
    return Arguments.of(String.join(" ", words), bytes);
  }

  /**
   * The bytes a write stores: SET's value, SETEX's at argument three, only MSET's values, HSET's field and value,
   * in UTF-8; none (-1) for reads and incomplete writes.
   */
  static Stream<Arguments> writes() {
    return Stream.of(
        written(5, "SET", "k", "hello", "EX", "10"),
        written(6, "SETEX", "k", "100", "abcdef"),
        written(3, "PSETEX", "k", "100", "abc"),
        written(4, "MSET", "key1", "a", "key2", "bcd"),
        written(11, "HSET", "h", "field", "value!"),
        written(2, "SET", "k", "é"),
        written(-1, "GET", "k"),
        written(-1, "INCR", "k"),
        written(-1, "SET", "k"),
        written(-1, "SETEX", "k", "10"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("writes")
  void shouldCountTheValueBytesAWriteStores(String words, int bytes) {
    assertThat(command(words.split(" ")).writtenBytes()).isEqualTo(bytes);
  }

  @Nested
  class Ttl {

    @Test
    void shouldReadSetOptions() {
      assertThat(command("SET", "k", "v", "EX", "30").ttlSeconds()).isEqualTo(30);
      assertThat(command("SET", "k", "v", "NX", "px", "5000").ttlSeconds()).isEqualTo(5);
      assertThat(command("SET", "k", "v", "KEEPTTL").ttlSeconds()).isEqualTo(-1);
      assertThat(command("SET", "k", "v").ttlSeconds()).isEqualTo(-1);
    }

    @Test
    void shouldReadGetexOptions() {
      assertThat(command("GETEX", "k", "EX", "7").ttlSeconds()).isEqualTo(7);
    }

    @Test
    void shouldReadSetexAndPsetex() {
      assertThat(command("SETEX", "k", "60", "v").ttlSeconds()).isEqualTo(60);
      assertThat(command("PSETEX", "k", "2500", "v").ttlSeconds()).isEqualTo(2);
    }

    @Test
    void shouldReadExpireAndPexpire() {
      assertThat(command("EXPIRE", "k", "90").ttlSeconds()).isEqualTo(90);
      assertThat(command("PEXPIRE", "k", "90000").ttlSeconds()).isEqualTo(90);
    }

    @Test
    void shouldReportNoTtlWhenAbsentOrNotNumeric() {
      assertThat(command("GET", "k").ttlSeconds()).isEqualTo(-1);
      assertThat(command("EXPIRE", "k").ttlSeconds()).isEqualTo(-1);
      assertThat(command("EXPIRE", "k", "soon").ttlSeconds()).isEqualTo(-1);
      assertThat(command("SET", "k", "v", "EX").ttlSeconds()).isEqualTo(-1);
    }

    @Test
    void shouldNotMistakeSetValueForOption() {
      assertThat(command("SET", "k", "ex", "PX", "5000").ttlSeconds()).isEqualTo(5);
      assertThat(command("SET", "k", "px", "EX", "10").ttlSeconds()).isEqualTo(10);
    }
  }

  @Nested
  class QueryText {

    @Test
    void shouldKeepKeysAndOptionWordsAndHideValues() {
      assertThat(command("SET", "k", "v", "EX", "10").queryText(KEYS))
          .isEqualTo("SET k ? EX ?");
      assertThat(command("set", "k", "v", "nx", "px", "10").queryText(KEYS))
          .isEqualTo("SET k ? NX PX ?");
      assertThat(command("MSET", "a", "1", "b", "2").queryText(KEYS))
          .isEqualTo("MSET a ? b ?");
      assertThat(command("HSET", "h", "f", "v").queryText(KEYS)).isEqualTo("HSET h ? ?");
      assertThat(command("GET", "user:42").queryText(KEYS)).isEqualTo("GET user:42");
      assertThat(command("PING").queryText(KEYS)).isEqualTo("PING");
    }

    @Test
    void shouldMaskAuthPasswords() {
      assertThat(command("AUTH", "hunter2").queryText(KEYS)).isEqualTo("AUTH ?");
      assertThat(command("AUTH", "admin", "hunter2").queryText(KEYS)).isEqualTo("AUTH ? ?");
      assertThat(command("auth", "EX").queryText(KEYS))
          .as("not even a password that looks like an option word").isEqualTo("AUTH ?");
    }

    @Test
    void shouldMaskHelloAfterProtocolVersion() {
      assertThat(command("HELLO", "3", "AUTH", "admin", "hunter2", "SETNAME", "app")
          .queryText(KEYS)).isEqualTo("HELLO 3 ? ? ? ? ?");
    }

    @Test
    void shouldMaskConfigArgumentsAfterSubcommand() {
      assertThat(command("CONFIG", "set", "requirepass", "hunter2").queryText(KEYS))
          .isEqualTo("CONFIG SET ? ?");
    }

    @Test
    void shouldShowOnlyPlaceholdersForUnknownCommand() {
      assertThat(command("FOO.BAR", "user:42", "value").queryText(KEYS))
          .isEqualTo("FOO.BAR ? ?");
    }

    @Test
    void shouldShowOnlyPlaceholdersForUnknownCommandWhateverItsKeys() {
      assertThat(command("FOO.MPOP", "1", "secret:1", "LEFT").queryText(REDACT_SECRETS))
          .doesNotContain("secret:1");
      assertThat(command("FOO.BAR", "user:42").queryText(NO_KEYS)).isEqualTo("FOO.BAR ?");
    }

    @Test
    void shouldHideValueThatLooksLikeOptionWord() {
      assertThat(command("SET", "k", "max").queryText(KEYS)).isEqualTo("SET k ?");
      assertThat(command("HSET", "h", "count", "left").queryText(KEYS))
          .isEqualTo("HSET h ? ?");
    }

    @Test
    void shouldHideKeysWhenKeyCaptureIsOff() {
      assertThat(command("SET", "user:42", "v", "EX", "10").queryText(NO_KEYS))
          .isEqualTo("SET ? ? EX ?");
      assertThat(command("MSET", "a", "1", "b", "2").queryText(NO_KEYS))
          .isEqualTo("MSET ? ? ? ?");
    }

    @Test
    void shouldRedactMatchingKeysWithStableHash() {
      String first = command("GET", "secret:token").queryText(REDACT_SECRETS);
      String again = command("SET", "secret:token", "v").queryText(REDACT_SECRETS);

      assertThat(first).matches("GET redacted:[0-9a-f]{16}");
      assertThat(again).isEqualTo("SET " + first.substring("GET ".length()) + " ?");
      assertThat(command("GET", "public:x").queryText(REDACT_SECRETS))
          .isEqualTo("GET public:x");
    }

    @Test
    void shouldCutLongTextAt1024CharactersEndingWithEllipsis() {
      String[] args = new String[300];
      args[0] = "DEL";
      for (int i = 1; i < args.length; i++) {
        args[i] = "key:" + i;
      }

      String text = command(args).queryText(KEYS);

      assertThat(text).hasSize(QueryTextWriter.MAX_QUERY_TEXT).startsWith("DEL key:1 key:2 ")
          .endsWith("...");
    }

    @Test
    void shouldCutSingleHugeKey() {
      String text = command("GET", "k".repeat(5000)).queryText(KEYS);

      assertThat(text).hasSize(1024).endsWith("...");
    }

    @Test
    void shouldCutNonAsciiTextBetweenCharactersWithinTheByteLimit() {
      String text = command("GET", "é".repeat(600)).queryText(KEYS); // two bytes each

      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      assertThat(utf8.length).isLessThanOrEqualTo(QueryTextWriter.MAX_QUERY_TEXT);
      assertThat(text).startsWith("GET éé").endsWith("é...").doesNotContain("\ufffd");
    }

    @Test
    void shouldShowAKeyThatIsNotUtf8WithReplacementCharacters() {
      byte[] key = {'k', (byte) 0xFF, ':', '1'};
      List<byte[]> raw = new ArrayList<>(List.of("GET".getBytes(StandardCharsets.US_ASCII), key));

      RedisCommandInfo info = RedisCommandInfo.of(raw);

      assertThat(info.queryText(KEYS)).isEqualTo("GET k\ufffd:1");
      assertThat(info.firstKeyShown(KEYS)).isEqualTo("k\ufffd:1");
      assertThat(info.firstKeyBytes()).isSameAs(key);
    }

    @Test
    void shouldKeepTextOfExactlyMaximumLengthWhole() {
      String key = "k".repeat(1024 - "DEL ".length());

      assertThat(command("DEL", key).queryText(KEYS)).isEqualTo("DEL " + key);
    }

    @Test
    void shouldMarkCutWhenTextFillsLimitBeforeLastArgument() {
      String key = "k".repeat(1024 - "DEL ".length());

      String text = command("DEL", key, "another").queryText(KEYS);

      assertThat(text).hasSize(1024).endsWith("...");
    }
  }

  @Nested
  class Reuse {

    private final RedisCommandInfo info = RedisCommandInfo.reusable();

    private List<byte[]> command(String... parts) {
      List<byte[]> args = new java.util.ArrayList<>();
      for (String part : parts) {
        args.add(part.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      return args;
    }

    @Test
    void shouldReuseTheStringsOfAKeySeenInTheCommandBefore() {
      info.parse(command("SET", "user:42:name", "Ada"));
      String key = info.firstKey();
      String namespace = info.firstKeyNamespace(KEYS);
      info.parse(command("GET", "user:42:name")); // equal bytes, another array
      assertThat(info.name()).isEqualTo("GET");
      assertThat(info.firstKey()).isSameAs(key);
      assertThat(info.firstKeyNamespace(KEYS)).isSameAs(namespace).isEqualTo("user:42");
      assertThat(info.queryText(KEYS)).isEqualTo("GET user:42:name");
    }

    @Test
    void shouldWriteEachTextIntoTheSameBuffer() {
      Utf8Text first = info.parse(command("SET", "user:42:name", "Ada")).queryTextUtf8(KEYS);
      assertThat(first.toString()).isEqualTo("SET user:42:name ?");
      Utf8Text again = info.parse(command("GET", "k")).queryTextUtf8(KEYS);
      assertThat(again).isSameAs(first);
      assertThat(again.toString()).isEqualTo("GET k");
      assertThat(info.parse(command("SET", "user:42:name", "Grace")).queryText(KEYS))
          .isEqualTo("SET user:42:name ?");
    }

    @Test
    void shouldReadANewKeyAfresh() {
      info.parse(command("GET", "user:42:name"));
      info.firstKey();
      info.parse(command("GET", "user:43:name"));
      assertThat(info.firstKey()).isEqualTo("user:43:name");
      assertThat(info.firstKeyNamespace(KEYS)).isEqualTo("user:43");
      info.parse(command("PING"));
      assertThat(info.firstKey()).isNull();
      assertThat(info.queryText(KEYS)).isEqualTo("PING");
    }

    @Test
    void shouldNotBeFooledByAnArrayTheApplicationChangedAfterwards() {
      byte[] key = "user:42:name".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      List<byte[]> args = new java.util.ArrayList<>(List.of("GET".getBytes(), key));
      info.parse(args);
      assertThat(info.firstKey()).isEqualTo("user:42:name");
      key[5] = '9'; // the same array, reused by the application for another key
      info.parse(args);
      assertThat(info.firstKey()).isEqualTo("user:92:name");
    }

    @Test
    void shouldShowTheKeyByEachPolicyItIsAskedFor() {
      info.parse(command("GET", "secret:1"));
      assertThat(info.firstKeyShown(KEYS)).isEqualTo("secret:1");
      info.parse(command("GET", "secret:1"));
      assertThat(info.firstKeyShown(REDACT_SECRETS)).startsWith("redacted:");
      assertThat(info.firstKeyShown(NO_KEYS)).isNull();
    }
  }
}
