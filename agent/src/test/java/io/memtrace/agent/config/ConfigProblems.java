package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

/** What the tests of settings ask of the one problem a configuration was loaded with. */
final class ConfigProblems {

  private ConfigProblems() {
  }

  /** The only problem of {@code result}: at {@code key}, its message containing each of {@code messageParts}. */
  static ConfigProblem onlyAt(ConfigResult result, String key, String... messageParts) {
    ConfigProblem problem = only(result, messageParts);
    assertThat(problem.key()).isEqualTo(key);
    return problem;
  }

  /** The only problem of {@code result}: from {@code origin}, its message containing each of {@code messageParts}. */
  static ConfigProblem onlyFrom(ConfigResult result, String origin, String... messageParts) {
    ConfigProblem problem = only(result, messageParts);
    assertThat(problem.origin()).isEqualTo(origin);
    return problem;
  }

  private static ConfigProblem only(ConfigResult result, String... messageParts) {
    assertThat(result.problems()).hasSize(1);
    ConfigProblem problem = result.problems().get(0);
    for (String part : messageParts) {
      assertThat(problem.message()).contains(part);
    }
    return problem;
  }
}
