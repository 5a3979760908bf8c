package io.memtrace.collector.versions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonTape} against Jackson itself: it reads as JSON exactly what Jackson's tree reader accepts, and
 * {@link JsonDiff} over tapes gives the rows a diff of Jackson's trees gives ({@link TreeDiff}, the diff as it was
 * written over trees), for random documents and random changes to them.
 */
class JsonTapeTest {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final String ALPHABET = "{}[]\",: \t\n\r\\/0123456789-+.eEtrufalsnx\u0001\u00e9\u2028";

  private static boolean jacksonReads(String text) {
    String trimmed = text.strip();
    if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
      return false;
    }
    try {
      JsonNode node = JSON.readTree(trimmed);
      return node != null && node.isContainerNode();
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void shouldReadAsJsonExactlyWhatJacksonReads() {
    List<String> docs = new ArrayList<>(List.of("[]", "{}", " [ ] ", "[1]", "[-0]", "[01]", "[-01]", "[1.]", "[.5]",
        "[-]", "[1e]", "[1e+]", "[1E-2]", "[1.5e+10]", "[0.0]", "[2.]", "[+1]", "[NaN]", "[Infinity]", "[1,]", "[,1]",
        "{\"a\":1,}", "{,}", "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "{a:1}", "{'a':1}", "['a']", "[\"\\u12g4\"]",
        "[\"\\u12F4\"]", "[\"\\x\"]", "[\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"]", "[\"a\u0001\"]", "[\"a\u007f\u2028\"]",
        "[true]", "[truex]", "[true1]", "[nul]", "[null,false]", "[fals]", "[1 2]", "[1]]", "[[1]", "{}}", "{} {}",
        "[1] x", "[/* c */1]", "[1]\u0000", "{\"a\":1,\"a\":2}", "[\"\\ud800\"]", "[\"\ud800\"]", "[1.5.3]", "[0x10]",
        "[1e5e]", "[\"unterminated]", "[\"a\\", "[\"a\\u12", "{\"\\u0061\":[{}]}", "[[[[[]]]]]"));
    int depth = JSON.getFactory().streamReadConstraints().getMaxNestingDepth();
    docs.add("[".repeat(depth) + "]".repeat(depth));
    docs.add("[".repeat(depth + 1) + "]".repeat(depth + 1));
    int digits = JSON.getFactory().streamReadConstraints().getMaxNumberLength();
    docs.add("[" + "1".repeat(digits) + "]");
    docs.add("[" + "1".repeat(digits + 1) + "]");
    docs.add("[-" + "1".repeat(digits) + "]");
    docs.add("[1." + "1".repeat(digits) + "]");
    Random random = new Random(51);
    List<String> seeds = List.of("{\"a\":[1,-2.5e3,\"x\\\"y\",true,null,{\"b\":false}],\"c\\u00e9\":\"\\n\"}",
        "[{\"role\":\"user\",\"content\":\"hi\"} , {\"role\":\"assistant\",\"content\":\"0.5\"}]", "[0,10,-0.0,1E9]");
    for (String seed : seeds) {
      docs.add(seed);
      for (int i = 0; i < 3_000; i++) {
        StringBuilder mutated = new StringBuilder(seed);
        for (int edits = 1 + random.nextInt(2); edits > 0; edits--) {
          int at = random.nextInt(mutated.length() + 1);
          char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
          switch (random.nextInt(3)) {
            case 0 -> mutated.insert(at, c);
            case 1 -> mutated.deleteCharAt(Math.min(at, mutated.length() - 1));
            default -> mutated.setCharAt(Math.min(at, mutated.length() - 1), c);
          }
        }
        docs.add(mutated.toString());
      }
    }
    int json = 0;
    for (String doc : docs) {
      boolean reads = jacksonReads(doc);
      assertThat(JsonTape.read(doc) != null).as(doc).isEqualTo(reads);
      json += reads ? 1 : 0;
    }
    assertThat(json).as("documents of both kinds").isBetween(100, docs.size() - 100);
  }

  @Test
  void shouldGiveTheRowsOfADiffOfJacksonsTrees() throws Exception {
    Random random = new Random(7);
    for (int record = 0; record < 300; record++) {
      JsonNode doc = random.nextBoolean() ? object(random, 3) : array(random, 3);
      JsonDiff.Memo memo = new JsonDiff.Memo();
      String before = null;
      JsonNode beforeNode = null;
      for (int version = 0; version < 8; version++) {
        JsonNode next = random.nextInt(6) == 0 ? beforeNode : change(doc, random);
        String text = next == null ? "not json " + version : write(next, random);
        if (random.nextInt(8) == 0) {
          text = "{\"broken\": " + version; // not JSON: the text diff takes it
        }
        List<DiffRow> rows = new ArrayList<>();
        boolean read = JsonDiff.diff(before, text, rows, memo);
        List<DiffRow> expected = new ArrayList<>();
        boolean expectedRead = TreeDiff.diff(before, text, expected);
        assertThat(read).as(before + " → " + text).isEqualTo(expectedRead);
        if (read) {
          assertThat(rows).as(before + " → " + text).isEqualTo(expected);
        }
        before = text;
        beforeNode = next;
        doc = next == null ? doc : next;
      }
    }
  }

  @Test
  void shouldGiveTheTreesRowsForRepeatedNamesAndArraysPastTheEditBound() {
    StringBuilder many = new StringBuilder("[");
    StringBuilder others = new StringBuilder("[");
    StringBuilder half = new StringBuilder("[");
    for (int i = 0; i < 1_200; i++) {
      many.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append('}');
      others.append(i == 0 ? "" : ",").append("{\"n\":").append(i + 5_000).append('}');
      half.append(i == 0 ? "" : ",").append("{\"n\":").append(i % 3 == 0 ? i + 5_000 : i).append('}');
    }
    List<String[]> pairs = List.of(new String[] {"{\"a\":1,\"b\":2,\"a\":3}", "{\"b\":2,\"a\":4}"},
        new String[] {"{\"a\":1,\"b\":2,\"a\":3}", "{\"b\":2.0,\"a\":3}"},
        new String[] {many + "]", others + "]"}, new String[] {many + "]", half + "]"},
        new String[] {many + "]", "{\"wrapped\":" + many + "]}"});
    for (String[] pair : pairs) {
      List<DiffRow> rows = new ArrayList<>();
      List<DiffRow> expected = new ArrayList<>();
      assertThat(JsonDiff.diff(pair[0], pair[1], rows, new JsonDiff.Memo())).isTrue();
      assertThat(TreeDiff.diff(pair[0], pair[1], expected)).isTrue();
      assertThat(rows).isEqualTo(expected).isNotEmpty();
    }
  }

  /** {@code doc} with a few random changes: members added, removed, reordered; elements inserted, dropped; leaves. */
  private static JsonNode change(JsonNode doc, Random random) {
    JsonNode copy = doc.deepCopy();
    for (int n = random.nextInt(4); n > 0; n--) {
      mutate(copy, random);
    }
    return copy;
  }

  private static void mutate(JsonNode node, Random random) {
    if (node.isObject()) {
      com.fasterxml.jackson.databind.node.ObjectNode object = (com.fasterxml.jackson.databind.node.ObjectNode) node;
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      int what = random.nextInt(5);
      if (what == 0 || names.isEmpty()) {
        object.set(name(random), leaf(random));
      } else if (what == 1) {
        object.remove(names.get(random.nextInt(names.size())));
      } else if (what == 2) {
        String moved = names.get(random.nextInt(names.size()));
        JsonNode value = object.remove(moved);
        object.set(moved, value);
      } else {
        String name = names.get(random.nextInt(names.size()));
        JsonNode child = object.get(name);
        if (child.isContainerNode() && random.nextBoolean()) {
          mutate(child, random);
        } else {
          object.set(name, leaf(random));
        }
      }
    } else if (node.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode array = (com.fasterxml.jackson.databind.node.ArrayNode) node;
      int what = random.nextInt(4);
      if (what == 0 || array.isEmpty()) {
        array.insert(random.nextInt(array.size() + 1), random.nextBoolean() ? leaf(random) : object(random, 1));
      } else if (what == 1) {
        array.remove(random.nextInt(array.size()));
      } else {
        int at = random.nextInt(array.size());
        if (array.get(at).isContainerNode() && random.nextBoolean()) {
          mutate(array.get(at), random);
        } else {
          array.set(at, leaf(random));
        }
      }
    }
  }

  private static JsonNode object(Random random, int depth) {
    com.fasterxml.jackson.databind.node.ObjectNode object = JsonNodeFactory.instance.objectNode();
    for (int n = random.nextInt(5); n > 0; n--) {
      object.set(name(random), value(random, depth - 1));
    }
    return object;
  }

  private static JsonNode array(Random random, int depth) {
    com.fasterxml.jackson.databind.node.ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (int n = random.nextInt(6); n > 0; n--) {
      array.add(value(random, depth - 1));
    }
    return array;
  }

  private static JsonNode value(Random random, int depth) {
    int what = depth <= 0 ? 2 : random.nextInt(4);
    return what == 0 ? object(random, depth) : what == 1 ? array(random, depth) : leaf(random);
  }

  private static String name(Random random) {
    return List.of("a", "b", "role", "content", "weird key", "é", "x\"y", "", "_9", "9a").get(random.nextInt(10));
  }

  private static JsonNode leaf(Random random) {
    return switch (random.nextInt(7)) {
      case 0 -> JsonNodeFactory.instance.numberNode(random.nextInt(3));
      case 1 -> JsonNodeFactory.instance.numberNode(random.nextInt(3) / 2.0);
      case 2 -> JsonNodeFactory.instance.booleanNode(random.nextBoolean());
      case 3 -> JsonNodeFactory.instance.nullNode();
      default -> JsonNodeFactory.instance.textNode(List.of("hi", "hello", "tab\there", "é", "\u2028", "q\"uote", "",
          "\u007f", "a/b").get(random.nextInt(9)));
    };
  }

  /**
   * {@code node} as JSON text written one of several ways Jackson reads the same: spaces, escaped names and
   * characters, numbers spelled differently ({@code 1}, {@code 1.0E0}), a member given twice (the last one counts).
   */
  private static String write(JsonNode node, Random random) {
    String space = List.of("", " ", "\n  ", "\t").get(random.nextInt(4));
    if (node.isObject()) {
      StringBuilder out = new StringBuilder("{").append(space);
      Iterator<Map.Entry<String, JsonNode>> members = node.properties().iterator();
      boolean first = true;
      while (members.hasNext()) {
        Map.Entry<String, JsonNode> member = members.next();
        if (random.nextInt(10) == 0) {
          out.append(first ? "" : ",").append(string(member.getKey(), random)).append(":").append("\"shadowed\"");
          first = false;
        }
        out.append(first ? "" : "," + space).append(string(member.getKey(), random)).append(space).append(':')
            .append(write(member.getValue(), random));
        first = false;
      }
      return out.append(space).append('}').toString();
    }
    if (node.isArray()) {
      StringBuilder out = new StringBuilder("[").append(space);
      for (int i = 0; i < node.size(); i++) {
        out.append(i == 0 ? "" : "," + space).append(write(node.get(i), random));
      }
      return out.append(space).append(']').toString();
    }
    if (node.isTextual()) {
      return string(node.asText(), random);
    }
    if (node.isInt() && random.nextInt(3) == 0) {
      return (node.asInt() == 0 && random.nextBoolean() ? "-" : "") + node.asInt()
          + (random.nextBoolean() ? "" : "e0"); // 1e0 reads as a double, not equal to 1; -0 as 0
    }
    if (node.isDouble() && random.nextInt(3) == 0) {
      return node.asDouble() * 10 + "e-1";
    }
    return node.toString();
  }

  private static String string(String text, Random random) {
    String written = JsonNodeFactory.instance.textNode(text).toString();
    return random.nextInt(3) == 0 ? written.replace("e", "\\u0065").replace("h", "\\u0068") : written;
  }

  /** The diff of {@link JsonDiff} as it was written over Jackson's trees: what the tapes must give. */
  private static final class TreeDiff {

    static boolean diff(String before, String after, List<DiffRow> rows) {
      JsonNode was = parse(before);
      JsonNode is = parse(after);
      if ((before != null && was == null) || (after != null && is == null) || (was == null && is == null)) {
        return false;
      }
      JsonNode empty = (was != null ? was : is).isArray() ? JsonNodeFactory.instance.arrayNode()
          : JsonNodeFactory.instance.objectNode();
      compare("$", was == null ? empty : was, is == null ? empty : is, rows);
      return true;
    }

    private static JsonNode parse(String text) {
      return text != null && jacksonReads(text) ? readTree(text.strip()) : null;
    }

    private static JsonNode readTree(String text) {
      try {
        return JSON.readTree(text);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }

    private static void compare(String path, JsonNode before, JsonNode after, List<DiffRow> rows) {
      if (before.equals(after)) {
        return;
      }
      if (before.isObject() && after.isObject()) {
        for (Map.Entry<String, JsonNode> member : before.properties()) {
          JsonNode now = after.get(member.getKey());
          if (now == null) {
            rows.add(DiffRow.removed(path + name(member.getKey()), show(member.getValue())));
          } else {
            compare(path + name(member.getKey()), member.getValue(), now, rows);
          }
        }
        for (Map.Entry<String, JsonNode> member : after.properties()) {
          if (!before.has(member.getKey())) {
            rows.add(DiffRow.added(path + name(member.getKey()), show(member.getValue())));
          }
        }
      } else if (before.isArray() && after.isArray()) {
        List<JsonNode> was = new ArrayList<>();
        before.forEach(was::add);
        List<JsonNode> is = new ArrayList<>();
        after.forEach(is::add);
        List<SequenceDiff.Step> steps = SequenceDiff.diff(was, is, ValueDiff.MAX_EDITS);
        if (steps == null) {
          steps = TextDiff.replacedWhole(was.size(), is.size());
        }
        SequenceDiff.pairRuns(steps, new SequenceDiff.Runs() {
          @Override
          public void changed(int x, int y) {
            compare(path + "[" + y + "]", was.get(x), is.get(y), rows);
          }

          @Override
          public void removed(int x) {
            rows.add(DiffRow.removed(path + "[" + x + "]", show(was.get(x))));
          }

          @Override
          public void added(int y) {
            rows.add(DiffRow.added(path + "[" + y + "]", show(is.get(y))));
          }
        });
      } else {
        rows.add(DiffRow.changed(path, show(before), show(after)));
      }
    }

    private static String name(String member) {
      return member.matches("[A-Za-z_][A-Za-z0-9_]*") ? "." + member
          : "[" + JsonNodeFactory.instance.textNode(member).toString() + "]";
    }

    private static String show(JsonNode node) {
      return ValueDiff.cell(node.isTextual() ? node.asText() : node.toString());
    }
  }
}
