package io.memtrace.agent.config;

import java.util.List;

/**
 * A loaded configuration and what was wrong with it. Problems in the {@code redis} section switch
 * off Redis tracing; a faulty {@code memory-managers} or {@code tasks} rule is dropped on its own;
 * any other problem switches off the whole agent. Either way the application runs as if memtrace
 * were not there.
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

  /** False when a problem outside the parts that can be switched off alone was found. */
  public boolean agentEnabled() {
    for (ConfigProblem p : problems) {
      String section = p.section();
      if (!section.equals("redis") && !section.equals("memory-managers") && !section.equals("tasks")) {
        return false;
      }
    }
    return true;
  }

  /** False when Redis tracing is switched off by the user or by a problem in its section. */
  public boolean redisEnabled() {
    if (!agentEnabled() || !config.redisEnabled()) {
      return false;
    }
    for (ConfigProblem p : problems) {
      if (p.section().equals("redis")) {
        return false;
      }
    }
    return true;
  }
}
