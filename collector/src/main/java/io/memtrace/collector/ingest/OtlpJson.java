package io.memtrace.collector.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
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
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      String why = e.getOriginalMessage().replaceAll("\\s*\\(start marker at [^)]*\\)", "");
      throw PayloadException.bad("malformed JSON: " + why
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr()));
    } catch (IOException e) {
      throw PayloadException.bad("malformed JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw PayloadException.bad("expected a JSON object at the top level");
    }
    mergeObject(root, builder, "$");
    return builder;
  }

  private static void mergeObject(JsonNode node, Message.Builder builder, String path) throws PayloadException {
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

  private static Object convert(JsonNode value, Message.Builder parent, FieldDescriptor field, String path)
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
        return value.textValue();
      case BOOLEAN:
        if (!value.isBoolean()) {
          throw PayloadException.bad(path + ": expected true or false");
        }
        return value.booleanValue();
      case LONG:
        return integer(value, path);
      case INT:
        long n = integer(value, path);
        if (n < Integer.MIN_VALUE || n > 0xFFFFFFFFL) {
          throw PayloadException.bad(path + ": " + n + " does not fit 32 bits");
        }
        return (int) n;
      case DOUBLE:
      case FLOAT:
        double d = number(value, path);
        return field.getJavaType() == FieldDescriptor.JavaType.FLOAT ? (Object) (float) d : (Object) d;
      case BYTE_STRING:
        return bytes(value, HEX_FIELDS.contains(field.getName()), path);
      case ENUM:
        return enumValue(value, field, path);
      default:
        throw PayloadException.bad(path + ": unsupported field type " + field.getJavaType());
    }
  }

  private static long integer(JsonNode value, String path) throws PayloadException {
    try {
      if (value.isIntegralNumber() && value.canConvertToLong()) {
        return value.longValue();
      }
      if (value.isTextual()) {
        String text = value.textValue();
        return text.startsWith("-") ? Long.parseLong(text) : Long.parseUnsignedLong(text);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw PayloadException.bad(path + ": expected an integer, got " + value);
  }

  private static double number(JsonNode value, String path) throws PayloadException {
    if (value.isNumber()) {
      return value.doubleValue();
    }
    if (value.isTextual()) {
      switch (value.textValue()) {
        case "NaN": return Double.NaN;
        case "Infinity": return Double.POSITIVE_INFINITY;
        case "-Infinity": return Double.NEGATIVE_INFINITY;
        default:
          try {
            return Double.parseDouble(value.textValue());
          } catch (NumberFormatException e) {
            // reported below
          }
      }
    }
    throw PayloadException.bad(path + ": expected a number, got " + value);
  }

  private static ByteString bytes(JsonNode value, boolean hex, String path) throws PayloadException {
    if (!value.isTextual()) {
      throw PayloadException.bad(path + ": expected a " + (hex ? "hex" : "base64") + " string");
    }
    try {
      return ByteString.copyFrom(hex ? HexFormat.of().parseHex(value.textValue())
          : Base64.getDecoder().decode(value.textValue()));
    } catch (IllegalArgumentException e) {
      throw PayloadException.bad(path + ": not valid " + (hex ? "hex" : "base64") + ": " + value);
    }
  }

  private static EnumValueDescriptor enumValue(JsonNode value, FieldDescriptor field, String path)
      throws PayloadException {
    EnumValueDescriptor found = null;
    if (value.isIntegralNumber()) {
      found = field.getEnumType().findValueByNumber(value.intValue());
    } else if (value.isTextual()) {
      found = field.getEnumType().findValueByName(value.textValue());
    }
    if (found == null) {
      throw PayloadException.bad(path + ": unknown " + field.getEnumType().getName() + " " + value);
    }
    return found;
  }
}
