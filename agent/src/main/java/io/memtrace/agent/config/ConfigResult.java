package io.memtrace.agent.config;

import java.util.List;

/**
 * A loaded configuration and what was wrong with it. Each problem carries its
 * {@link ConfigProblem.Effect}: problems in the {@code redis} section switch off Redis tracing; a
 * faulty {@code memory-managers} or {@code tasks} rule is dropped on its own; a bad exporter
 * setting falls back to a safe value; any other problem switches off the whole agent. Either way
 * the application runs as if memtrace were not there.
 */
public final class ConfigResult {

  private final MemtraceConfig config;
  private final List<ConfigProblem> problems;

  ConfigResult(MemtraceConfig config, List<ConfigProblem> problems) {
    this.config = config;
    this.problems = List.copyOf(problems);
  }

  public MemtraceConfig config() {
    return config;
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  /** False when a problem that switches off the whole agent was found. */
  public boolean agentEnabled() {
    return !has(ConfigProblem.Effect.AGENT_OFF);
  }

  /** False when Redis tracing is switched off by the user or by a problem in its section. */
  public boolean redisEnabled() {
    return agentEnabled() && config.get(Settings.REDIS_ENABLED) && !has(ConfigProblem.Effect.REDIS_OFF);
  }

  private boolean has(ConfigProblem.Effect effect) {
    for (ConfigProblem p : problems) {
      if (p.effect() == effect) {
        return true;
      }
    }
    return false;
  }
}
