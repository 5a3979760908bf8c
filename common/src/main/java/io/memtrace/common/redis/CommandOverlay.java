package io.memtrace.common.redis;

import io.memtrace.common.redis.CommandSpec.Access;
import io.memtrace.common.redis.CommandSpec.Found;
import io.memtrace.common.redis.CommandSpec.Meaning;
import io.memtrace.common.redis.CommandSpec.Secret;
import io.memtrace.common.redis.CommandSpec.Ttl;
import io.memtrace.common.redis.CommandSpec.Written;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringTokenizer;
import java.util.TreeMap;

/**
 * memtrace's own reading of Redis commands, kept by hand in {@code redis-command-overlay.txt}
 * because Redis's metadata does not say it: whether a command reads or writes memory, how its
 * reply says found or not found, where it gives a TTL, which arguments are the bytes written,
 * which are secret, and keys that only a command's own code can find (Redis marks them
 * {@code unknown}). Each line is {@code WHAT : COMMAND...}; a container's name ({@code CONFIG})
 * covers its subcommands ({@code CONFIG|SET}) unless one has a line of its own.
 */
public final class CommandOverlay {

  private final Map<String, Meaning> meanings = new HashMap<>();
  private final Map<String, Secret> secrets = new HashMap<>();
  private final Set<String> procedures = new LinkedHashSet<>();
  private final Map<String, List<KeySpec>> keys = new HashMap<>();
  private final Set<String> named = new LinkedHashSet<>();

  public static CommandOverlay read(BufferedReader in) throws IOException {
    CommandOverlay overlay = new CommandOverlay();
    String line;
    int number = 0;
    while ((line = in.readLine()) != null) {
      number++;
      line = line.trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(" : ");
      if (colon < 0) {
        throw new IllegalArgumentException("overlay line " + number + ": expected 'WHAT : COMMANDS', got '" + line + "'");
      }
      String[] what = words(line.substring(0, colon));
      String rest = line.substring(colon + 3).trim();
      try {
        overlay.add(what, rest);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("overlay line " + number + ": " + e.getMessage(), e);
      }
    }
    return overlay;
  }

  private void add(String[] what, String rest) {
    switch (what[0]) {
      case "secret":
        Secret secret = named(Secret.class, what[1]);
        for (String name : names(rest)) {
          secrets.put(name, secret);
        }
        break;
      case "procedure":
        procedures.addAll(names(rest));
        break;
      case "keys":
        // keys SORT : keyword=STORE,2 range=0,1,0
        for (int i = 1; i < what.length; i++) {
          String name = what[i].toUpperCase(Locale.ROOT);
          named.add(name);
          keys.computeIfAbsent(name, n -> new ArrayList<>()).add(KeySpec.parse(rest));
        }
        break;
      default:
        if (what.length != 4) {
          throw new IllegalArgumentException("expected 'ACCESS FOUND TTL WRITTEN', got " + String.join(" ", what));
        }
        Meaning meaning = new Meaning(named(Access.class, what[0]), enumOf(Found.class, what[1]),
            enumOf(Ttl.class, what[2]), enumOf(Written.class, what[3]), Secret.NONE, false);
        for (String name : names(rest)) {
          if (meanings.put(name, meaning) != null) {
            throw new IllegalArgumentException(name + " is given a meaning twice");
          }
        }
    }
  }

  private List<String> names(String rest) {
    List<String> names = new ArrayList<>();
    for (String name : words(rest)) {
      String upper = name.toUpperCase(Locale.ROOT);
      names.add(upper);
      named.add(upper);
    }
    return names;
  }

  /** The words of {@code text} between runs of spaces (no regular expression: read at start-up). */
  public static String[] words(String text) {
    StringTokenizer words = new StringTokenizer(text, " ");
    String[] out = new String[words.countTokens()];
    for (int i = 0; i < out.length; i++) {
      out[i] = words.nextToken();
    }
    return out;
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, String word) {
    return word.equals("-") ? Enum.valueOf(type, "NONE") : named(type, word);
  }

  /** The constant {@code word} names, or an error naming the word and what it may be. */
  private static <E extends Enum<E>> E named(Class<E> type, String word) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(constant(word))) {
        return constant;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E constant : type.getEnumConstants()) {
      allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    throw new IllegalArgumentException(type.getSimpleName().toLowerCase(Locale.ROOT) + " '" + word
        + "' is none of " + allowed);
  }

  private static String constant(String word) {
    return word.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** What {@code name} ({@code GET}, {@code CONFIG|SET}) means, its container's meaning, or OTHER. */
  Meaning meaning(String name) {
    String container = container(name);
    Meaning meaning = meanings.get(name);
    if (meaning == null && container != null) {
      meaning = meanings.get(container);
    }
    if (meaning == null) {
      meaning = Meaning.OTHER;
    }
    Secret secret = secrets.get(name);
    if (secret == null && container != null) {
      secret = secrets.get(container);
    }
    if (secret != null) {
      meaning = meaning.withSecret(secret);
    }
    return procedures.contains(name) ? meaning.withProcedure() : meaning;
  }

  /** Whether a line classifies {@code name} itself: read, write, delete or other. */
  public boolean classifies(String name) {
    return meanings.containsKey(name);
  }

  /**
   * Each command a line classifies, upper case as the overlay writes it ({@code GET}, {@code CONFIG|SET}),
   * with its access; the collector's lineage reads this.
   */
  public Map<String, Access> accesses() {
    Map<String, Access> out = new TreeMap<>();
    meanings.forEach((name, meaning) -> out.put(name, meaning.access));
    return out;
  }

  /** Key specs that stand in for the ones Redis marks unknown, or an empty list. */
  List<KeySpec> keys(String name) {
    return keys.getOrDefault(name, List.of());
  }

  /** Every command name the overlay mentions, to check them against the table. */
  Set<String> named() {
    return named;
  }

  private static String container(String name) {
    int bar = name.indexOf('|');
    return bar < 0 ? null : name.substring(0, bar);
  }
}
