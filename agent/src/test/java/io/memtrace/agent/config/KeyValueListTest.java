package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyValueListTest {

  @Test
  void shouldSplitOnCommasAndFirstEqualsAndDecodePercentEscapes() {
    KeyValueList parsed = KeyValueList.parse(" a = 1 ,b=x=y,, c%2Cd=%E2%82%AC ");

    assertThat(parsed.entries()).containsExactly(Map.entry("a", "1"), Map.entry("b", "x=y"),
        Map.entry("c,d", "€"));
    assertThat(parsed.rejected()).isEmpty();
  }

  @Test
  void shouldSetAsideEntriesWithoutKeyOrWithBrokenEscapes() {
    KeyValueList parsed = KeyValueList.parse("novalue,=v,k=%zz,ok=1");

    assertThat(parsed.entries()).containsExactly(Map.entry("ok", "1"));
    assertThat(parsed.rejected()).containsExactly("novalue", "=v", "k=%zz");
  }
}
