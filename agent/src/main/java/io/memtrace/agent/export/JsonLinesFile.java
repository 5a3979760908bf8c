package io.memtrace.agent.export;

import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A file that OTLP requests are appended to as JSON, one line each, the OpenTelemetry file exporter's format, which
 * the memtrace collector imports. Its exporter calls it under its own lock.
 */
final class JsonLinesFile {

  private final OutputStream out;

  /** Opens {@code path} for appending, creating the directories above it. */
  JsonLinesFile(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    this.out = new FileOutputStream(path.toFile(), true);
  }

  /**
   * Appends the request {@code marshaler} makes as one line, written whole; {@code sizeHint} is the line's likely
   * length in bytes. A request that cannot be made or written fails the result.
   */
  CompletableResultCode append(Supplier<? extends Marshaler> marshaler, int sizeHint) {
    try {
      ByteArrayOutputStream line = new ByteArrayOutputStream(sizeHint);
      marshaler.get().writeJsonTo(line);
      line.write('\n');
      line.writeTo(out);
      out.flush();
      return CompletableResultCode.ofSuccess();
    } catch (IOException | RuntimeException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }

  CompletableResultCode close() {
    try {
      out.close();
      return CompletableResultCode.ofSuccess();
    } catch (IOException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }
}
