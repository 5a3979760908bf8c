package io.memtrace.agent.instrumentation.method;

import io.memtrace.agent.config.MethodRule;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Which rules of a {@link RuleSet} apply to the classes of each class loader: every user rule, and the rules of a
 * built-in profile only where the loader can see the library type the rule names (a profile's rule for Spring AI's
 * {@code ChatMemory} means nothing to a loader without Spring AI). Asked once per loader and remembered weakly.
 */
final class LoaderRules {

  /** Per rule, the class file a loader must have for the rule to apply, or {@code null} (user rules). */
  private final String[] requiredResources;
  private final boolean[] allRules;
  /** The user's rules only: what applies to classes of the boot loader, which sees no library. */
  private final boolean[] userRules;
  private final boolean hasProfileRules;
  /** Which rules apply to each class loader's classes, asked once per loader. */
  private final Map<ClassLoader, boolean[]> byLoader = new WeakHashMap<>();

  LoaderRules(List<MethodRule> rules) {
    int count = rules.size();
    requiredResources = new String[count];
    allRules = new boolean[count];
    Arrays.fill(allRules, true);
    userRules = new boolean[count];
    boolean profileRules = false;
    for (int i = 0; i < count; i++) {
      MethodRule rule = rules.get(i);
      if (rule.profile() != null && !rule.typePattern().contains("*")) {
        requiredResources[i] = rule.typePattern().replace('.', '/') + ".class";
      }
      userRules[i] = requiredResources[i] == null;
      profileRules |= !userRules[i];
    }
    hasProfileRules = profileRules;
  }

  /** Every rule, whatever the loader. */
  boolean[] all() {
    return allRules;
  }

  /**
   * Which rules may apply to classes defined by {@code loader}: every user rule, and the profile
   * rules whose library type the loader can see. Asked once per loader; never throws.
   */
  boolean[] applicableTo(ClassLoader loader) {
    if (loader == null || !hasProfileRules) {
      return userRules; // the boot loader sees no library; with no profile rule, nothing to ask a loader
    }
    synchronized (byLoader) {
      boolean[] known = byLoader.get(loader);
      if (known != null) {
        return known;
      }
    }
    boolean[] applicable = allRules.clone();
    Map<String, Boolean> seen = new HashMap<>();
    for (int i = 0; i < applicable.length; i++) {
      String resource = requiredResources[i];
      if (resource != null) {
        applicable[i] = seen.computeIfAbsent(resource, r -> sees(loader, r));
      }
    }
    synchronized (byLoader) {
      byLoader.put(loader, applicable);
    }
    return applicable;
  }

  private static boolean sees(ClassLoader loader, String resource) {
    try {
      return loader.getResource(resource) != null;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
