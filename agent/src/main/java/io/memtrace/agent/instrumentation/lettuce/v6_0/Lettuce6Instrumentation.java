package io.memtrace.agent.instrumentation.lettuce.v6_0;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.memtrace.agent.instrumentation.ClassMarkers;
import io.memtrace.agent.instrumentation.KnownTypes;
import io.memtrace.agent.instrumentation.lettuce.common.LettuceCommandPath;
import io.memtrace.agent.instrumentation.lettuce.common.LettuceFamily;
import io.memtrace.agent.instrumentation.lettuce.common.LettuceRelease;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Lettuce 6.x and 7.x (tested with 6.6 and 7.0): the command path of {@link LettuceCommandPath},
 * unchanged in 7.0, and a connection that sets itself up in {@code RedisHandshake}, writing
 * straight to its channel. 7.0 removed deprecated API (the UTF-8 codec class, among others), none
 * of what is hooked here. A newer major release, which nobody has tried this with, is left alone
 * ({@link LettuceRelease}).
 */
public final class Lettuce6Instrumentation implements LettuceFamily {

  /** Added in 6.0 (RESP3). */
  public static final String MARKER = "io.lettuce.core.protocol.ProtocolVersion";
  /** The newest major release this family has been tried with. */
  public static final int NEWEST_MAJOR = 7;

  static final String HANDSHAKE = "io.lettuce.core.RedisHandshake";

  @Override
  public Set<String> classNames() {
    Set<String> names = new HashSet<>(LettuceCommandPath.classNames());
    names.add(HANDSHAKE);
    return Set.copyOf(names);
  }

  @Override
  public KnownTypes install(KnownTypes types) {
    return LettuceCommandPath.install(types, Lettuce6Instrumentation::ofThisFamily)
        .transform(ofThisFamily(named(HANDSHAKE)),
            LettuceCommandPath.advice()
            .advice(named("dispatch").and(takesArguments(2)).and(takesArgument(0, named("io.netty.channel.Channel"))),
                "io.memtrace.agent.instrumentation.lettuce.v6_0.HandshakeAdvice"));
  }

  /** {@code types}, where the class loader's Lettuce is 6.0 or later and not known to be newer than 7.x. */
  static AgentBuilder.RawMatcher ofThisFamily(ElementMatcher<? super TypeDescription> types) {
    AgentBuilder.RawMatcher markers = ClassMarkers.where(types, List.of(MARKER), List.of());
    AgentBuilder.RawMatcher release = LettuceRelease.atMost(NEWEST_MAJOR);
    return (type, loader, module, redefined, domain) -> markers.matches(type, loader, module, redefined, domain)
        && release.matches(type, loader, module, redefined, domain);
  }
}
