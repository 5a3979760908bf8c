package io.memtrace.agent.instrumentation.jedis.v3_0;

import static io.memtrace.agent.instrumentation.jedis.common.JedisTypes.CONNECTION;
import static io.memtrace.agent.instrumentation.jedis.common.JedisTypes.withMarker;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.memtrace.agent.instrumentation.KnownTypes;
import io.memtrace.agent.instrumentation.jedis.common.JedisFamily;
import io.memtrace.agent.instrumentation.jedis.common.JedisTypes;
import java.util.Set;

/**
 * Jedis 3.x. Commands are written by {@code Connection.sendCommand(ProtocolCommand, byte[]...)};
 * the connection authenticates and selects its database in {@code BinaryClient.connect()}, and
 * {@code BinaryJedis.initializeFromClientConfig} also names the client; {@code BinaryJedis.multi()}
 * reads the {@code MULTI} reply itself, before the transaction's other commands are sent.
 */
public final class Jedis3Instrumentation implements JedisFamily {

  /** Only in Jedis 3: 4.0 folded it into {@code Connection}. */
  static final String MARKER = "redis.clients.jedis.BinaryClient"; // removed in 4.0

  private static final String ADVICE = "io.memtrace.agent.instrumentation.jedis.v3_0.";
  private static final String BINARY_JEDIS = "redis.clients.jedis.BinaryJedis";
  private static final String[] BATCH_TYPES = {"redis.clients.jedis.Pipeline",
      "redis.clients.jedis.Transaction"};
  private static final String[] PUB_SUB_TYPES = {"redis.clients.jedis.JedisPubSub",
      "redis.clients.jedis.BinaryJedisPubSub"};

  @Override
  public Set<String> classNames() {
    return Set.of(CONNECTION, MARKER, BINARY_JEDIS, BATCH_TYPES[0], BATCH_TYPES[1],
        PUB_SUB_TYPES[0], PUB_SUB_TYPES[1]);
  }

  @Override
  public KnownTypes install(KnownTypes types) {
    return types
        .transform(withMarker(named(CONNECTION), MARKER),
            JedisTypes.connectionAdvice(JedisTypes.advice())
            .advice(named("sendCommand").and(takesArguments(2)).and(takesArgument(1, byte[][].class)),
                ADVICE + "SendCommandAdvice"))
        .transform(withMarker(named(MARKER), MARKER),
            JedisTypes.advice().advice(named("connect").and(takesArguments(0)),
            "io.memtrace.agent.instrumentation.jedis.common.HandshakeAdvice"))
        .transform(withMarker(named(BINARY_JEDIS), MARKER),
            JedisTypes.advice()
            .advice(named("initializeFromClientConfig"), ADVICE + "ClientSetupAdvice")
            .advice(named("multi").and(takesArguments(0)), ADVICE + "MultiAdvice"))
        .transform(withMarker(namedOneOf(BATCH_TYPES), MARKER),
            JedisTypes.batchAdvice())
        .transform(withMarker(namedOneOf(PUB_SUB_TYPES), MARKER),
            JedisTypes.pubSubAdvice());
  }
}
