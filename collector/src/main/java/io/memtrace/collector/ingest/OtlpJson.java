package io.memtrace.collector.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads the OTLP JSON encoding into the OTLP protobuf classes, walking the message descriptors.
 * It follows the OTLP rules rather than proto3's generic JSON mapping: trace and span ids are hex,
 * 64-bit integers may be strings or numbers, enums may be integers or names, and unknown fields
 * are ignored. Anything of the wrong shape is rejected with the JSON path that is wrong.
 */
public final class OtlpJson {

  /** Fields holding ids, which OTLP JSON writes in hex instead of base64. */
  private static final Set<String> HEX_FIELDS = Set.of("trace_id", "span_id", "parent_span_id");

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  static {
    // deeply nested arrays are a cheap way to exhaust the stack; OTLP needs a few levels only
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
  }

  private OtlpJson() {
  }

  /** Parses {@code json} into {@code builder}; the builder's type says what is expected. */
  public static <B extends Message.Builder> B merge(byte[] json, B builder) throws PayloadException {
    return merge(json, builder, new TextRepairs());
  }

  /**
   * As {@link #merge(byte[], Message.Builder)}, with text that is not valid Unicode repaired as
   * {@link ValidText} says and counted in {@code repairs}.
   */
  public static <B extends Message.Builder> B merge(byte[] json, B builder, TextRepairs repairs)
      throws PayloadException {
    if (!ValidText.isUtf8(json)) {
      // Jackson reads some invalid UTF-8 as characters (an overlong C0 80 as NUL), so check first
      json = ValidText.utf8(json);
      ValidText.counted(repairs, 1);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // Jackson's own message may hold a location of its own: "(start marker at [Source: ...; line: 1,
      // column: 19])"; drop it whole, its inner ']' and ')' included, since the location follows
      String why = e.getOriginalMessage().replaceAll("\\s*\\(start marker at \\[[^\\]]*\\]\\)", "");
      throw PayloadException.bad("malformed JSON: " + why
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr()));
    } catch (IOException e) {
      throw PayloadException.bad("malformed JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw PayloadException.bad("expected a JSON object at the top level");
    }
    new Walk(repairs).mergeObject(root, builder, "$");
    return builder;
  }

  /** One request's walk over the tree; carries where repaired strings are counted. */
  private static final class Walk {
    private final TextRepairs repairs;

    Walk(TextRepairs repairs) {
      this.repairs = repairs;
    }

    private void mergeObject(JsonNode node, Message.Builder builder, String path) throws PayloadException {
      if (!node.isObject()) {
        throw PayloadException.bad(path + ": expected an object, got " + node.getNodeType().name().toLowerCase());
      }
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> entry = fields.next();
        FieldDescriptor field = find(builder, entry.getKey());
        JsonNode value = entry.getValue();
        if (field == null || value.isNull()) {
          continue;
        }
        String fieldPath = path + "." + entry.getKey();
        if (field.isRepeated()) {
          if (!value.isArray()) {
            throw PayloadException.bad(fieldPath + ": expected an array");
          }
          for (int i = 0; i < value.size(); i++) {
            builder.addRepeatedField(field, convert(value.get(i), builder, field, fieldPath + "[" + i + "]"));
          }
        } else {
          builder.setField(field, convert(value, builder, field, fieldPath));
        }
      }
    }

    private static FieldDescriptor find(Message.Builder builder, String name) {
      for (FieldDescriptor field : builder.getDescriptorForType().getFields()) {
        if (field.getJsonName().equals(name) || field.getName().equals(name)) {
          return field;
        }
      }
      return null;
    }

    private Object convert(JsonNode value, Message.Builder parent, FieldDescriptor field, String path)
        throws PayloadException {
      switch (field.getJavaType()) {
        case MESSAGE:
          Message.Builder child = parent.newBuilderForField(field);
          mergeObject(value, child, path);
          return child.build();
        case STRING:
          if (!value.isTextual()) {
            throw PayloadException.bad(path + ": expected a string");
          }
          return ValidText.of(value.textValue(), repairs);
        case BOOLEAN:
          if (!value.isBoolean()) {
            throw PayloadException.bad(path + ": expected true or false");
          }
          return value.booleanValue();
        case LONG:
          long number = JsonScalars.integer(value, path);
          boolean unsigned = field.getType() == FieldDescriptor.Type.FIXED64
              || field.getType() == FieldDescriptor.Type.UINT64;
          if (unsigned && value.asText().startsWith("-")) {
            throw PayloadException.bad(path + ": expected an unsigned integer, got " + value);
          }
          return number;
        case INT:
          long n = JsonScalars.integer(value, path);
          if (n < Integer.MIN_VALUE || n > 0xFFFFFFFFL) {
            throw PayloadException.bad(path + ": " + n + " does not fit 32 bits");
          }
          return (int) n;
        case DOUBLE:
        case FLOAT:
          double d = JsonScalars.number(value, path);
          return field.getJavaType() == FieldDescriptor.JavaType.FLOAT ? (Object) (float) d : (Object) d;
        case BYTE_STRING:
          return JsonScalars.bytes(value, HEX_FIELDS.contains(field.getName()), path);
        case ENUM:
          return JsonScalars.enumValue(value, field, path);
        default:
          throw PayloadException.bad(path + ": unsupported field type " + field.getJavaType());
      }
    }
  }
}
