package io.memtrace.agent.instrumentation.jedis;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.instrumentation.jedis.common.JedisTypes;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

/** Version families switch on by marker class; the test class path has Jedis 5.2. */
class JedisTypesTest {

  private final ClassLoader jedis5 = getClass().getClassLoader();
  private final TypeDescription connection = TypeDescription.ForLoadedType.of(redis.clients.jedis.Connection.class);

  private static boolean matches(AgentBuilder.RawMatcher matcher, TypeDescription type, ClassLoader loader) {
    return matcher.matches(type, loader, null, null, null);
  }

  @Test
  void shouldMatchOnlyWhereTheFamilysMarkerClassIsPresent() {
    AgentBuilder.RawMatcher jedis4 = JedisTypes.withMarker(named(JedisTypes.CONNECTION),
        "redis.clients.jedis.CommandArguments");
    AgentBuilder.RawMatcher jedis3 = JedisTypes.withMarker(named(JedisTypes.CONNECTION),
        "redis.clients.jedis.BinaryClient");

    assertThat(matches(jedis4, connection, jedis5)).isTrue();
    assertThat(matches(jedis3, connection, jedis5)).as("BinaryClient is gone since 4.0").isFalse();
    assertThat(matches(jedis4, TypeDescription.ForLoadedType.of(String.class), jedis5))
        .as("the name is checked too").isFalse();
  }

  @Test
  void shouldHoldBackEveryClassSomeFamilyInstruments() {
    assertThat(JedisInstrumentation.classNames()).contains(JedisTypes.CONNECTION,
        "redis.clients.jedis.Pipeline", "redis.clients.jedis.AbstractTransaction",
        "redis.clients.jedis.JedisPubSubBase", "redis.clients.jedis.BinaryClient",
        "redis.clients.jedis.BinaryJedis");
  }
}
