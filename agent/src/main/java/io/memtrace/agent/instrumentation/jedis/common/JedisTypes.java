package io.memtrace.agent.instrumentation.jedis.common;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.memtrace.agent.instrumentation.ClassMarkers;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * What every Jedis version family instruments the same way: the connection's reads, flushes and
 * disconnects, the batch methods, the pub/sub loop. A family adds these to its own
 * transformations, each gated on its own marker class.
 */
public final class JedisTypes {

  /** Every command of every client ({@code Jedis}, pools, {@code JedisPooled}, {@code RedisClient}). */
  public static final String CONNECTION = "redis.clients.jedis.Connection";

  private static final String ADVICE = "io.memtrace.agent.instrumentation.jedis.common.";

  private static final ElementMatcher.Junction<MethodDescription> READ =
      named("readProtocolWithCheckingBroken").and(takesArguments(0));
  private static final ElementMatcher.Junction<MethodDescription> FLUSH = named("flush").and(takesArguments(0));
  private static final ElementMatcher.Junction<MethodDescription> DISCONNECT =
      namedOneOf("disconnect", "forceDisconnect").and(takesArguments(0));
  private static final ElementMatcher.Junction<MethodDescription> BATCH_METHODS =
      namedOneOf("sync", "syncAndReturnAll", "exec", "execGetResponse", "discard")
          .and(not(isAbstract()));
  /** The private loop of a listener that reads the subscription's replies. */
  private static final ElementMatcher.Junction<MethodDescription> PUB_SUB_LOOP = named("process");

  private JedisTypes() {
  }

  /** A fresh advice transformer whose advice classes are read from memtrace's loader. */
  public static AgentBuilder.Transformer.ForAdvice advice() {
    return new AgentBuilder.Transformer.ForAdvice().include(JedisTypes.class.getClassLoader());
  }

  /** The advice every family puts on {@link #CONNECTION}, beside its own way of sending. */
  public static AgentBuilder.Transformer.ForAdvice connectionAdvice(AgentBuilder.Transformer.ForAdvice advice) {
    return advice.advice(READ, ADVICE + "ReadReplyAdvice").advice(FLUSH, ADVICE + "FlushAdvice")
        .advice(DISCONNECT, ADVICE + "DisconnectAdvice");
  }

  /** Pipelines and transactions: what is read inside their sync or exec becomes one span. */
  public static AgentBuilder.Transformer.ForAdvice batchAdvice() {
    return advice().advice(BATCH_METHODS, ADVICE + "BatchAdvice");
  }

  /** Pub/sub listeners: replies read in their loop may be pushed messages. */
  public static AgentBuilder.Transformer.ForAdvice pubSubAdvice() {
    return advice().advice(PUB_SUB_LOOP, ADVICE + "PubSubLoopAdvice");
  }

  /**
   * Types matched by name, only in a class loader that has {@code markerClass}: the class that
   * tells a version family's Jedis apart from the others. Checked after the name, so only for the
   * few types memtrace instruments.
   */
  public static AgentBuilder.RawMatcher withMarker(ElementMatcher<? super TypeDescription> types,
      String markerClass) {
    return ClassMarkers.where(types, List.of(markerClass), List.of());
  }
}
