package io.memtrace.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The instructions of a Dockerfile that the deployment checks read: FROM, COPY/ADD and ENTRYPOINT. */
public final class Dockerfile {

  /**
   * One COPY or ADD.
   *
   * @param fromStage the {@code --from} stage, or null when the sources come from the build context
   */
  public record Copy(List<String> sources, String destination, String fromStage) {
  }

  /** One FROM: the image and its {@code AS} stage name, or null. */
  public record From(String image, String stage) {
  }

  private final List<From> froms = new ArrayList<>();
  private final List<Copy> copies = new ArrayList<>();
  private List<String> entrypoint = List.of();

  private Dockerfile() {
  }

  public static Dockerfile read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  public static Dockerfile parse(String text) throws IOException {
    Dockerfile out = new Dockerfile();
    for (String instruction : instructions(text)) {
      String[] parts = instruction.split("\\s+", 2);
      String keyword = parts[0].toUpperCase(Locale.ROOT);
      String rest = parts.length > 1 ? parts[1].trim() : "";
      switch (keyword) {
        case "FROM" -> {
          List<String> words = words(rest);
          words.removeIf(w -> w.startsWith("--"));
          out.froms.add(new From(words.get(0), words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null));
        }
        case "COPY", "ADD" -> {
          List<String> args = rest.startsWith("[") ? json(rest) : words(rest);
          String from = null;
          while (!args.isEmpty() && args.get(0).startsWith("--")) {
            String flag = args.remove(0);
            if (flag.startsWith("--from=")) {
              from = flag.substring("--from=".length());
            }
          }
          out.copies.add(new Copy(List.copyOf(args.subList(0, args.size() - 1)), args.get(args.size() - 1), from));
        }
        case "ENTRYPOINT" -> out.entrypoint = rest.startsWith("[") ? json(rest) : List.of("/bin/sh", "-c", rest);
        default -> {
        }
      }
    }
    return out;
  }

  public List<From> froms() {
    return List.copyOf(froms);
  }

  public List<Copy> copies() {
    return List.copyOf(copies);
  }

  public List<String> entrypoint() {
    return List.copyOf(entrypoint);
  }

  /** Joins continuation lines and drops comments and blank lines. */
  private static List<String> instructions(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      if (current.length() > 0) {
        out.add(current.toString().trim());
      }
      current.setLength(0);
    }
    return out;
  }

  private static List<String> words(String s) {
    return new ArrayList<>(Arrays.asList(s.trim().split("\\s+")));
  }

  private static List<String> json(String s) throws IOException {
    return new ArrayList<>(new ObjectMapper().readValue(s, new TypeReference<List<String>>() { }));
  }
}
