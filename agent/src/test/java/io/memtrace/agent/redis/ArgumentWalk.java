package io.memtrace.agent.redis;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a command's documented argument list says: its option words, where they may start, where an
 * index name sits (RediSearch), and, for module commands documented without key specs, where the
 * keys are. Only the leading arguments at fixed positions are placed; past the first optional,
 * repeated or token-led argument a position depends on the call, and the walk stops.
 */
final class ArgumentWalk {

  /** Option words the query text may show: a word, not punctuation like {@code $} or {@code LOAD *}. */
  private static final Pattern WORD = Pattern.compile("[A-Z][A-Z0-9_.-]*");

  private final Set<String> tokens = new TreeSet<>();
  private final List<String> keySpecs = new ArrayList<>();
  private int optionsFrom;
  private int indexAt;

  ArgumentWalk(JsonNode arguments, int firstPosition) {
    collectTokens(arguments);
    int position = firstPosition;
    List<JsonNode> args = new ArrayList<>();
    arguments.forEach(args::add);
    boolean placing = true;
    for (int i = 0; i < args.size() && placing; i++) {
      JsonNode arg = args.get(i);
      boolean plain = !arg.has("token") && !arg.path("optional").asBoolean()
          && !arg.path("multiple").asBoolean() && !arg.has("arguments");
      if (optionsFrom == 0 && !plain) {
        optionsFrom = position;
      }
      String type = arg.path("type").asText();
      if (type.equals("key") && !arg.has("token") && !arg.path("optional").asBoolean()) {
        if (arg.path("multiple").asBoolean()) {
          int trailing = trailingPlain(args, i + 1);
          if (trailing >= 0) {
            keySpecs.add("index=" + position + " range=" + (-1 - trailing) + ",1,0 flags=-");
          }
          placing = false;
        } else {
          keySpecs.add("index=" + position + " range=0,1,0 flags=-");
          position++;
        }
      } else if (type.equals("block") && arg.path("multiple").asBoolean() && i == args.size() - 1
          && !arg.has("token") && startsWithKey(arg)) {
        int width = arg.path("arguments").size();
        keySpecs.add("index=" + position + " range=-1," + width + ",0 flags=-");
        placing = false;
      } else if (plain) {
        if (arg.path("name").asText().equals("index") && arg.path("type").asText().equals("string")
            && indexAt == 0) {
          indexAt = position;
        }
        position++;
      } else {
        placing = false;
      }
    }
    if (tokens.isEmpty()) {
      optionsFrom = 0;
    } else if (optionsFrom == 0) {
      optionsFrom = position;
    }
  }

  /** How many plain arguments end the list after {@code from}, or -1 when anything else does. */
  private static int trailingPlain(List<JsonNode> args, int from) {
    for (int i = from; i < args.size(); i++) {
      JsonNode arg = args.get(i);
      if (arg.has("token") || arg.path("optional").asBoolean() || arg.path("multiple").asBoolean()
          || arg.has("arguments")) {
        return -1;
      }
    }
    return args.size() - from;
  }

  private static boolean startsWithKey(JsonNode block) {
    JsonNode first = block.path("arguments").path(0);
    if (!first.path("type").asText().equals("key")) {
      return false;
    }
    for (JsonNode sub : block.path("arguments")) {
      if (sub.has("token") || sub.path("optional").asBoolean() || sub.has("arguments")) {
        return false;
      }
    }
    return true;
  }

  private void collectTokens(JsonNode arguments) {
    for (JsonNode arg : arguments) {
      String token = arg.path("token").asText("").toUpperCase(Locale.ROOT);
      if (WORD.matcher(token).matches()) {
        tokens.add(token);
      }
      collectTokens(arg.path("arguments"));
    }
  }

  Set<String> tokens() {
    return tokens;
  }

  String keySpecs() {
    return String.join(";", keySpecs);
  }

  int optionsFrom() {
    return optionsFrom;
  }

  int indexAt() {
    return indexAt;
  }
}
