package io.memtrace.agent.instrumentation.jedis;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Jedis 3.x to 6.x (and later versions that keep the same connection methods). All commands of
 * {@code Jedis}, {@code JedisPooled}/{@code UnifiedJedis} and {@code JedisPool} go through
 * {@code redis.clients.jedis.Connection}, so the advice sits there and on the batch methods.
 */
public final class JedisInstrumentation {

  static final String CONNECTION = "redis.clients.jedis.Connection";
  private static final String[] BATCH_TYPES = {"redis.clients.jedis.Pipeline",
      "redis.clients.jedis.Transaction", "redis.clients.jedis.TransactionBase",
      "redis.clients.jedis.ReliableTransaction", "redis.clients.jedis.AbstractTransaction"};
  static final String COMMAND_ARGUMENTS = "redis.clients.jedis.CommandArguments"; // added in 4.0

  private static final ElementMatcher.Junction<MethodDescription> SEND_V4 =
      named("sendCommand").and(takesArguments(1)).and(takesArgument(0, named(COMMAND_ARGUMENTS)));
  private static final ElementMatcher.Junction<MethodDescription> SEND_V3 =
      named("sendCommand").and(takesArguments(2)).and(takesArgument(1, byte[][].class));
  private static final ElementMatcher.Junction<MethodDescription> READ =
      named("readProtocolWithCheckingBroken").and(takesArguments(0));
  private static final ElementMatcher.Junction<MethodDescription> BATCH_METHODS =
      namedOneOf("sync", "syncAndReturnAll", "exec", "execGetResponse", "discard")
          .and(not(isAbstract()));

  private JedisInstrumentation() {
  }

  /** Every class this instrumentation transforms, by binary name (the start-up gate holds them). */
  public static Set<String> classNames() {
    Set<String> names = new HashSet<>(Arrays.asList(BATCH_TYPES));
    names.add(CONNECTION);
    return Set.copyOf(names);
  }

  public static AgentBuilder install(AgentBuilder builder) {
    ClassLoader agentLoader = JedisInstrumentation.class.getClassLoader();
    return builder
        .type(named(CONNECTION).and(declaresMethod(SEND_V4)))
        .transform(new AgentBuilder.Transformer.ForAdvice()
            .include(agentLoader)
            .advice(SEND_V4, "io.memtrace.agent.instrumentation.jedis.SendCommandAdvice")
            .advice(READ, "io.memtrace.agent.instrumentation.jedis.ReadReplyAdvice"))
        .type(named(CONNECTION).and(not(declaresMethod(SEND_V4))).and(declaresMethod(SEND_V3)))
        .transform(new AgentBuilder.Transformer.ForAdvice()
            .include(agentLoader)
            .advice(SEND_V3, "io.memtrace.agent.instrumentation.jedis.SendCommandV3Advice")
            .advice(READ, "io.memtrace.agent.instrumentation.jedis.ReadReplyAdvice"))
        .type(namedOneOf(BATCH_TYPES))
        .transform(new AgentBuilder.Transformer.ForAdvice()
            .include(agentLoader)
            .advice(BATCH_METHODS, "io.memtrace.agent.instrumentation.jedis.BatchAdvice"));
  }
}
