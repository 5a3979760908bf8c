package io.memtrace.agent.instrumentation.jedis.v4_0;

import static io.memtrace.agent.instrumentation.jedis.common.JedisTypes.CONNECTION;
import static io.memtrace.agent.instrumentation.jedis.common.JedisTypes.withMarker;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.memtrace.agent.instrumentation.KnownTypes;
import io.memtrace.agent.instrumentation.jedis.common.JedisFamily;
import io.memtrace.agent.instrumentation.jedis.common.JedisTypes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Jedis 4.0 and later (tested to 8.0): {@code Jedis}, {@code JedisPooled}, {@code RedisClient} and
 * the pools all write through {@code Connection.sendCommand(CommandArguments)}, and a connection
 * made from a client configuration sets itself up in {@code initializeFromClientConfig} (from 5.0
 * that includes {@code CLIENT SETINFO}, which Redis before 7.2 rejects and Jedis ignores).
 * {@code Connection.getMany(int)} reads the replies of one connection's part of a pipeline ({@link GetManyAdvice}).
 */
public final class Jedis4Instrumentation implements JedisFamily {

  static final String MARKER = "redis.clients.jedis.CommandArguments"; // added in 4.0

  private static final String ADVICE = "io.memtrace.agent.instrumentation.jedis.v4_0.";
  private static final List<String> BATCH_TYPES = List.of("redis.clients.jedis.Pipeline",
      "redis.clients.jedis.Transaction", "redis.clients.jedis.TransactionBase", // 4.x
      "redis.clients.jedis.AbstractTransaction", "redis.clients.jedis.ReliableTransaction",
      "redis.clients.jedis.MultiNodePipelineBase");
  private static final List<String> PUB_SUB_TYPES = List.of("redis.clients.jedis.JedisPubSub", // 4.x
      "redis.clients.jedis.BinaryJedisPubSub", // 4.x
      "redis.clients.jedis.JedisPubSubBase", "redis.clients.jedis.JedisShardedPubSubBase"); // 5.0+

  @Override
  public Set<String> classNames() {
    Set<String> names = new HashSet<>(BATCH_TYPES);
    names.addAll(PUB_SUB_TYPES);
    names.add(CONNECTION);
    return Set.copyOf(names);
  }

  @Override
  public KnownTypes install(KnownTypes types) {
    return types
        .transform(withMarker(named(CONNECTION), MARKER),
            JedisTypes.connectionAdvice(JedisTypes.advice())
            .advice(named("sendCommand").and(takesArguments(1)).and(takesArgument(0, named(MARKER))),
                ADVICE + "SendCommandAdvice")
            .advice(named("initializeFromClientConfig"),
                "io.memtrace.agent.instrumentation.jedis.common.HandshakeAdvice")
            .advice(named("getMany").and(takesArguments(int.class)), ADVICE + "GetManyAdvice"))
        .transform(withMarker(namedOneOf(BATCH_TYPES.toArray(new String[0])), MARKER),
            JedisTypes.batchAdvice())
        .transform(withMarker(namedOneOf(PUB_SUB_TYPES.toArray(new String[0])), MARKER),
            JedisTypes.pubSubAdvice());
  }
}
