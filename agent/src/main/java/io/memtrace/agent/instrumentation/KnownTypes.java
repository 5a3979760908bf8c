package io.memtrace.agent.instrumentation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * The transformations of classes memtrace knows by name (the Redis clients'), as the version
 * families declare them: each a matcher (the name, then the family's marker classes) and the
 * advice to weave where it matches. {@link KnownTypeTransformer} applies them without Byte Buddy's
 * {@code AgentBuilder}, whose set-up is what a first Redis command used to wait for.
 */
public final class KnownTypes {

  /** One transformation: where {@code matcher} says yes, {@code transformer} weaves. */
  static final class Entry {
    final AgentBuilder.RawMatcher matcher;
    final AgentBuilder.Transformer transformer;

    Entry(AgentBuilder.RawMatcher matcher, AgentBuilder.Transformer transformer) {
      this.matcher = matcher;
      this.transformer = transformer;
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  /** Adds a transformation; every one whose matcher says yes applies, in the order added. */
  public KnownTypes transform(AgentBuilder.RawMatcher matcher, AgentBuilder.Transformer transformer) {
    entries.add(new Entry(matcher, transformer));
    return this;
  }

  /** A matcher that is only asked (to say something in the log, say): it never transforms. */
  public KnownTypes watch(AgentBuilder.RawMatcher matcher) {
    return transform((type, loader, module, redefined, domain) -> {
      matcher.matches(type, loader, module, redefined, domain);
      return false; // asked for what it says, never a reason to rewrite the class
    }, (builder, type, loader, module, domain) -> builder);
  }

  /**
   * The transformer for classes of {@code classNames} (binary names): only those are described and
   * matched; every other class is passed over by name.
   */
  public KnownTypeTransformer transformer(Set<String> classNames) {
    return new KnownTypeTransformer(classNames, entries());
  }

  List<Entry> entries() {
    return List.copyOf(entries);
  }
}
