package io.memtrace.collector.ingest;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Parses an OTLP protobuf body. protobuf-java refuses a whole message when one {@code string}
 * field holds invalid UTF-8; only then, on the failure path, the message is copied field by field
 * with each such string decoded the way {@link ValidText} says (invalid sequences become U+FFFD)
 * and parsed again. Anything else that is malformed stays a 400.
 */
final class ProtobufPayload {

  /** As deep as protobuf-java's own default recursion limit lets a message nest. */
  private static final int MAX_DEPTH = 100;

  private int repaired;

  private ProtobufPayload() {
  }

  static <T extends Message> T parse(byte[] body, Parser<T> parser, Descriptor type, TextRepairs repairs)
      throws PayloadException {
    try {
      return parser.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      ProtobufPayload repair = new ProtobufPayload();
      try {
        byte[] copy = repair.copy(body, type, 0);
        if (repair.repaired > 0) {
          T message = parser.parseFrom(copy);
          ValidText.counted(repairs, repair.repaired);
          return message;
        }
      } catch (IOException | RuntimeException notTheText) {
        // the first failure is the one to report
      }
      throw PayloadException.bad("malformed protobuf: " + e.getMessage());
    }
  }

  private byte[] copy(byte[] message, Descriptor type, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new InvalidProtocolBufferException("nested more than " + MAX_DEPTH + " levels deep");
    }
    CodedInputStream in = CodedInputStream.newInstance(message);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.length);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    int tag;
    while ((tag = in.readTag()) != 0) {
      FieldDescriptor field = type.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
      if (field != null && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        if (field.getType() == FieldDescriptor.Type.STRING) {
          ByteString text = in.readBytes();
          if (text.isValidUtf8()) {
            out.writeBytes(field.getNumber(), text);
          } else {
            repaired++;
            out.writeString(field.getNumber(), text.toStringUtf8());
          }
          continue;
        }
        if (field.getType() == FieldDescriptor.Type.MESSAGE) {
          out.writeByteArray(field.getNumber(), copy(in.readByteArray(), field.getMessageType(), depth + 1));
          continue;
        }
      }
      in.skipField(tag, out);
    }
    out.flush();
    return bytes.toByteArray();
  }
}
