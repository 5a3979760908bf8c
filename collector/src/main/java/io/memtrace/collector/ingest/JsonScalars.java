package io.memtrace.collector.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.Base64;
import java.util.HexFormat;

/** The scalar values of OTLP JSON, each in the forms the OTLP JSON encoding allows. */
final class JsonScalars {

  private JsonScalars() {
  }

  static long integer(JsonNode value, String path) throws PayloadException {
    try {
      if (value.isIntegralNumber() && value.canConvertToLong()) {
        return value.longValue();
      }
      if (value.isIntegralNumber() && value.bigIntegerValue().signum() > 0 && value.bigIntegerValue().bitLength() <= 64) {
        // an unsigned 64-bit number (fixed64 times), as the string form already allows; the mappers judge its range
        return value.bigIntegerValue().longValue();
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

  static double number(JsonNode value, String path) throws PayloadException {
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

  static ByteString bytes(JsonNode value, boolean hex, String path) throws PayloadException {
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

  static EnumValueDescriptor enumValue(JsonNode value, FieldDescriptor field, String path)
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
