package io.memtrace.collector.server;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.store.StoreFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The bearer token of {@code /api/*}. {@code serve} takes it from {@code --api-token} or
 * {@code MEMTRACE_API_TOKEN}; without one it draws 32 random bytes at every start and writes them
 * to {@code DIR/api-token}, created with mode 0600 and moved into place whole, so that the
 * commands of the same user can read it and nobody else can.
 */
public final class ApiToken {

  /** The environment variable that gives the token to {@code serve} and to the commands. */
  public static final String ENV = "MEMTRACE_API_TOKEN";

  static final int MIN_LENGTH = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiToken() {
  }

  /** A token given to {@code serve}, stripped; null stays null. Too short a token is refused. */
  public static String checked(String given) {
    if (given != null && given.strip().length() < MIN_LENGTH) {
      throw new CollectorException("the API token (--api-token or " + ENV + ") must be at least " + MIN_LENGTH
          + " characters");
    }
    return given == null ? null : given.strip();
  }

  /** The token {@code serve} requires: the one given, else a new one written to the data directory. */
  public static String forServer(StoreFiles files, String given) throws IOException {
    if (checked(given) != null) {
      // a token file from an earlier start would now be wrong; commands should not offer it
      Files.deleteIfExists(files.apiToken());
      return checked(given);
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    write(files.apiToken(), token);
    return token;
  }

  private static void write(Path file, String token) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? Files.createTempFile(file.getParent(), ".api-token", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
        : Files.createTempFile(file.getParent(), ".api-token", ".tmp");
    try {
      Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
      // a rename replaces whatever is at the name, a planted symlink included, without following it
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The token written in a data directory, if there is one this user can read. */
  public static Optional<String> read(StoreFiles files) {
    try {
      String token = Files.readString(files.apiToken(), StandardCharsets.US_ASCII).strip();
      return token.isEmpty() ? Optional.empty() : Optional.of(token);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Compares in time that does not depend on where the two differ. */
  static boolean matches(String expected, String given) {
    return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        given.getBytes(StandardCharsets.UTF_8));
  }
}
