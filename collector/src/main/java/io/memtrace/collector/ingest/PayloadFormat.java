package io.memtrace.collector.ingest;

import java.util.Locale;

/** The two OTLP/HTTP encodings, chosen by Content-Type as the OTLP specification says. */
public enum PayloadFormat {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private final String contentType;

  PayloadFormat(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  public static PayloadFormat of(String contentType) throws PayloadException {
    String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    switch (type) {
      case "application/x-protobuf":
      case "application/protobuf":
        return PROTOBUF;
      case "application/json":
        return JSON;
      default:
        throw new PayloadException(PayloadException.UNSUPPORTED_MEDIA_TYPE, "unsupported Content-Type '"
            + (contentType == null ? "" : contentType) + "'; OTLP/HTTP takes application/x-protobuf or application/json");
    }
  }
}
