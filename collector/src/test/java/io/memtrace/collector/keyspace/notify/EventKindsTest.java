package io.memtrace.collector.keyspace.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventKindsTest {

  @Test
  void shouldClassifyRedisEventsByWhatTheyDidToTheKey() {
    assertThat(EventKinds.of("expired")).isEqualTo("expiry");
    assertThat(EventKinds.of("evicted")).isEqualTo("eviction");
    for (String write : new String[] {"set", "setrange", "append", "incrby", "incrbyfloat", "hset", "hincrby", "lpush",
        "rpush", "lset", "sadd", "srem", "zadd", "zincr", "xadd", "rename_to", "restore"}) {
      assertThat(EventKinds.of(write)).as(write).isEqualTo("write");
    }
    assertThat(EventKinds.of("del")).as("DEL and UNLINK both send del").isEqualTo("delete");
    assertThat(EventKinds.of("rename_from")).isEqualTo("delete");
    assertThat(EventKinds.of("expire")).as("EXPIRE, PEXPIRE, EXPIREAT, SET EX").isEqualTo("ttl");
    assertThat(EventKinds.of("persist")).isEqualTo("ttl");
  }

  @Test
  void shouldLeaveEventsThatSayNothingOfTheKeysContentUnclassified() {
    assertThat(EventKinds.of("new")).isNull();
    assertThat(EventKinds.of("keymiss")).isNull();
    assertThat(EventKinds.of("no-such-event")).isNull();
    assertThat(EventKinds.of("EXPIRED")).as("Redis's names are lower case").isNull();
  }
}
