package io.memtrace.agent.instrumentation.lettuce.v5_1;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.memtrace.agent.instrumentation.ClassMarkers;
import io.memtrace.agent.instrumentation.KnownTypes;
import io.memtrace.agent.instrumentation.lettuce.common.LettuceCommandPath;
import io.memtrace.agent.instrumentation.lettuce.common.LettuceFamily;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Lettuce 5.1 to 5.x (tested with 5.3.7): the command path of {@link LettuceCommandPath}, and no
 * handshake of its own. A new connection's {@code AUTH}, {@code CLIENT SETNAME} and {@code SELECT}
 * are dispatched like the application's commands, by the steps that {@code RedisClient}'s connect
 * future runs once the channel is up (the lambdas of {@code connectStatefulAsync}, javac's
 * {@code lambda$connectStatefulAsync$N}, in every 5.x), and again on reconnect by
 * {@code StatefulRedisConnectionImpl.activated()}: commands written inside those are set-up
 * commands ({@link SetUpAdvice}). {@code RedisClusterClient} and its connection do the same for
 * each node (tested on a standalone server only). Lettuce 5.0 lacks the {@code CommandWrapper.unwrap(command, type)}
 * the shared advice asks whether a command is queued in a transaction with, so it is not traced.
 */
public final class Lettuce5Instrumentation implements LettuceFamily {

  /** Added in 5.1 (moved to {@code io.lettuce.core.internal} in 6.0). */
  public static final String MARKER = "io.lettuce.core.ExceptionFactory";

  static final String CLIENT = "io.lettuce.core.RedisClient";
  static final String CONNECTION = "io.lettuce.core.StatefulRedisConnectionImpl";
  /** The cluster client connects its nodes the same way (not yet tried on a cluster). */
  static final String CLUSTER_CLIENT = "io.lettuce.core.cluster.RedisClusterClient";
  static final String CLUSTER_CONNECTION = "io.lettuce.core.cluster.StatefulRedisClusterConnectionImpl";

  @Override
  public Set<String> classNames() {
    Set<String> names = new HashSet<>(LettuceCommandPath.classNames());
    names.addAll(List.of(CLIENT, CONNECTION, CLUSTER_CLIENT, CLUSTER_CONNECTION));
    return Set.copyOf(names);
  }

  @Override
  public KnownTypes install(KnownTypes types) {
    String setUp = "io.memtrace.agent.instrumentation.lettuce.v5_1.SetUpAdvice";
    return LettuceCommandPath.install(types, Lettuce5Instrumentation::ofThisFamily)
        .transform(ofThisFamily(namedOneOf(CLIENT, CLUSTER_CLIENT)),
            LettuceCommandPath.advice().advice(nameStartsWith("lambda$connectStatefulAsync$"), setUp))
        .transform(ofThisFamily(namedOneOf(CONNECTION, CLUSTER_CONNECTION)),
            LettuceCommandPath.advice().advice(named("activated").and(takesArguments(0)), setUp));
  }

  /** {@code types}, where the class loader's Lettuce is 5.1 to 5.x. */
  static AgentBuilder.RawMatcher ofThisFamily(ElementMatcher<? super TypeDescription> types) {
    return ClassMarkers.where(types, List.of(MARKER), List.of(
        io.memtrace.agent.instrumentation.lettuce.v6_0.Lettuce6Instrumentation.MARKER));
  }
}
