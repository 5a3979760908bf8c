package io.memtrace.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RespCommandTest {

  private static List<String> parsed(String resp, boolean whole) {
    byte[] bytes = ("junk" + resp + "more").getBytes(StandardCharsets.UTF_8);
    List<byte[]> out = new ArrayList<>();
    assertThat(RespCommand.parse(bytes, 4, resp.getBytes(StandardCharsets.UTF_8).length, out)).isEqualTo(whole);
    return out.stream().map(b -> new String(b, StandardCharsets.UTF_8)).collect(Collectors.toList());
  }

  @Test
  void shouldReadTheWordsOfACommandWithinItsRange() {
    assertThat(parsed("*3\r\n$3\r\nSET\r\n$4\r\nk:10\r\n$5\r\ncafé\r\n", true)).containsExactly("SET", "k:10", "café");
  }

  @Test
  void shouldReadEmptyAndBinaryWords() {
    byte[] resp = "*2\r\n$0\r\n\r\n$3\r\n\r\n\u0000\r\n".getBytes(StandardCharsets.ISO_8859_1);
    List<byte[]> out = new ArrayList<>();

    assertThat(RespCommand.parse(resp, 0, resp.length, out)).isTrue();

    assertThat(out).hasSize(2);
    assertThat(out.get(0)).isEmpty();
    assertThat(out.get(1)).containsExactly('\r', '\n', 0);
  }

  @Test
  void shouldRefuseWhatIsNoWholeArrayOfBulkStrings() {
    assertThat(parsed("", false)).isEmpty();
    assertThat(parsed("+OK\r\n", false)).isEmpty();
    assertThat(parsed("*2\r\n$3\r\nGET\r\n", false)).as("a word short").containsExactly("GET");
    assertThat(parsed("*1\r\n$9\r\nGET\r\n", false)).as("a bulk longer than the bytes").isEmpty();
    assertThat(parsed("*1\r\n:5\r\n", false)).isEmpty();
    assertThat(parsed("*x\r\n", false)).isEmpty();
    assertThat(parsed("*1\r\n$-1\r\n", false)).isEmpty();
  }
}
