package io.memtrace.agent.config;

import java.util.ArrayList;
import java.util.List;

/** Rules as a built-in profile would ship them, for tests in any package. */
public final class ProfileRules {

  private ProfileRules() {
  }

  /** {@code rules}, each as if it came from the profile {@code name}. */
  public static List<MethodRule> asProfile(String name, List<MethodRule> rules) {
    List<MethodRule> out = new ArrayList<>();
    for (MethodRule rule : rules) {
      out.add(rule.fromProfile(name));
    }
    return out;
  }
}
