package io.memtrace.agent;

import io.memtrace.agent.config.ConfigProblem;
import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.config.MethodRule;
import io.memtrace.agent.config.Profiles;
import io.memtrace.agent.instrumentation.method.RuleMatcher;
import io.memtrace.agent.util.AgentLog;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads one built-in profile when its library shows up (a class, not a lambda: premain spins none); what is wrong
 * in it (memtrace's own mistake) is reported then and drops only that rule.
 */
final class ProfileReader implements Supplier<List<MethodRule>> {

  private final Profiles.Profile profile;
  private final MemtraceConfig config;

  private ProfileReader(Profiles.Profile profile, MemtraceConfig config) {
    this.profile = profile;
    this.config = config;
  }

  /** The enabled built-in profiles, each read only when a class of its library first loads. */
  static List<RuleMatcher.LazyProfile> lazyProfiles(MemtraceConfig config) {
    List<RuleMatcher.LazyProfile> lazy = new ArrayList<>();
    for (Profiles.Profile profile : Profiles.enabled(config)) {
      lazy.add(new RuleMatcher.LazyProfile(profile.name(), profile.packagePrefix(),
          new ProfileReader(profile, config)));
    }
    return lazy;
  }

  /** The built-in profiles in use: {@code [spring-ai, langchain4j]}. */
  static List<String> names(MemtraceConfig config) {
    List<String> names = new ArrayList<>();
    for (Profiles.Profile profile : Profiles.enabled(config)) {
      names.add(profile.name());
    }
    return names;
  }

  @Override
  public List<MethodRule> get() {
    List<ConfigProblem> problems = new ArrayList<>();
    List<MethodRule> read = profile.rules(config, problems);
    for (ConfigProblem problem : problems) {
      AgentLog.error("built-in profile problem: " + problem, null);
    }
    return read;
  }
}
