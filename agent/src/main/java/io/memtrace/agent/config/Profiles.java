package io.memtrace.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The built-in profiles: {@code memory-managers} rules for libraries that keep an AI agent's memory,
 * shipped as YAML resources beside this class and read by the same {@link MethodRulesParser} as a
 * user's file. A profile is on unless its {@code profiles.*} setting says otherwise. Its resource is
 * read only when a class of its library's package first loads (the instrumentation asks
 * {@link Profile#rules}), so an application without the library never pays for parsing it; every
 * rule names a type of that package (checked by the tests).
 *
 * <p>A user's rule wins: user rules come first (the first rule for a method wins), and a profile
 * rule for exactly the type a user's rule names is left out, so naming a library interface in the
 * file replaces what the profile traces on it.
 */
public final class Profiles {

  /** One profile: its name (as in {@code profiles.<name>}), its switch, its library's package and its resource. */
  public static final class Profile {
    final String name;
    final Setting<Boolean> enabled;
    final String packagePrefix;

    Profile(String name, Setting<Boolean> enabled, String packagePrefix) {
      this.name = name;
      this.enabled = enabled;
      this.packagePrefix = packagePrefix;
    }

    public String name() {
      return name;
    }

    /** The package every type the profile names is in, with its final dot: {@code dev.langchain4j.}. */
    public String packagePrefix() {
      return packagePrefix;
    }

    String resource() {
      return "profiles/" + name + ".yaml";
    }

    /**
     * Reads the profile's rules for {@code config}: labelled as the profile's, after a user's rules,
     * without those for a type a user's rule names. A problem (memtrace's own mistake) drops only the
     * rule it is in and is added to {@code problems}.
     */
    public List<MethodRule> rules(MemtraceConfig config, List<ConfigProblem> problems) {
      Set<String> userTypes = new HashSet<>();
      for (MethodRule rule : config.methodRules()) {
        userTypes.add(rule.typePattern());
      }
      List<MethodRule> rules = new ArrayList<>();
      for (MethodRule rule : read(this, config.get(Settings.SPAN_PREFIX), problems)) {
        if (!userTypes.contains(rule.typePattern())) {
          rules.add(rule.fromProfile(name));
        }
      }
      return rules;
    }
  }

  static final List<Profile> ALL = List.of(
      new Profile("spring-ai", Settings.PROFILE_SPRING_AI, "org.springframework.ai."),
      new Profile("langchain4j", Settings.PROFILE_LANGCHAIN4J, "dev.langchain4j."));

  private Profiles() {
  }

  /** The profiles {@code config} leaves on, in a fixed order. */
  public static List<Profile> enabled(MemtraceConfig config) {
    List<Profile> on = new ArrayList<>();
    for (Profile profile : ALL) {
      if (Boolean.TRUE.equals(config.get(profile.enabled))) {
        on.add(profile);
      }
    }
    return on;
  }

  /** Parses one profile's resource. */
  static List<MethodRule> read(Profile profile, String spanPrefix, List<ConfigProblem> problems) {
    String origin = "profile " + profile.name;
    Node section = section(profile, origin, problems);
    if (section == null) {
      return List.of();
    }
    MethodRulesParser parser = new MethodRulesParser(spanPrefix, origin);
    parser.parseMemoryManagers(section);
    problems.addAll(parser.problems());
    return parser.rules();
  }

  private static Node section(Profile profile, String origin, List<ConfigProblem> problems) {
    try (InputStream in = Profiles.class.getResourceAsStream(profile.resource())) {
      if (in == null) {
        problems.add(new ConfigProblem("profiles." + profile.name, origin, "is missing from the agent jar"));
        return null;
      }
      Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
      LoaderOptions options = new LoaderOptions();
      Node root = new Composer(new ParserImpl(new StreamReader(reader), options), new Resolver(), options).getSingleNode();
      if (root instanceof MappingNode) {
        for (NodeTuple t : ((MappingNode) root).getValue()) {
          if (t.getKeyNode() instanceof ScalarNode
              && ((ScalarNode) t.getKeyNode()).getValue().equals(Settings.MEMORY_MANAGERS.key())) {
            return t.getValueNode();
          }
        }
      }
      problems.add(new ConfigProblem("profiles." + profile.name, origin, "has no memory-managers section"));
      return null;
    } catch (IOException | RuntimeException e) {
      problems.add(new ConfigProblem("profiles." + profile.name, origin, "cannot be read: " + e));
      return null;
    }
  }
}
