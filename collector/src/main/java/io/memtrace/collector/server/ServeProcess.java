package io.memtrace.collector.server;

import io.memtrace.collector.store.StoreFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a process is a memtrace {@code serve} on a given data directory listening on a given
 * port, read from Linux's {@code /proc}: its command line names the collector, {@code serve}
 * and (resolved against its working directory) that {@code --data}, and one of its open file
 * descriptors is the socket listening on the port. Anyone who can write {@code collector.json}
 * can name any pid and URL in it; these facts come from the kernel instead.
 */
final class ServeProcess {

  private static final Path PROC = Paths.get("/proc");

  private ServeProcess() {
  }

  /** True or false on Linux; null where there is no {@code /proc} to ask. */
  static Boolean isServe(long pid, StoreFiles files, int port) {
    if (!Files.isDirectory(PROC.resolve("self"))) {
      return null;
    }
    Path proc = PROC.resolve(Long.toString(pid));
    try {
      List<String> args = arguments(Files.readAllBytes(proc.resolve("cmdline")));
      if (!args.contains("serve") || args.stream().noneMatch(a -> a.toLowerCase(Locale.ROOT).contains("memtrace"))) {
        return false;
      }
      Path cwd = Files.readSymbolicLink(proc.resolve("cwd"));
      Path data = cwd.resolve(dataArgument(args)).normalize();
      return same(data, files.dir()) && listensOn(proc, port);
    } catch (IOException | SecurityException e) {
      return false; // gone, or another user's: nothing proves it is ours
    }
  }

  private static List<String> arguments(byte[] cmdline) {
    List<String> args = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < cmdline.length; i++) {
      if (cmdline[i] == 0) {
        args.add(new String(cmdline, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return args;
  }

  private static String dataArgument(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--data") && i + 1 < args.size()) {
        return args.get(i + 1);
      }
      if (args.get(i).startsWith("--data=")) {
        return args.get(i).substring("--data=".length());
      }
    }
    return StoreFiles.DEFAULT_DIR;
  }

  private static boolean same(Path a, Path b) throws IOException {
    return a.equals(b) || Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
  }

  /** Whether one of the process's descriptors is a TCP socket listening on {@code port}. */
  private static boolean listensOn(Path proc, int port) throws IOException {
    Set<String> sockets = new HashSet<>();
    for (String table : new String[] {"tcp", "tcp6"}) {
      Path file = PROC.resolve("net").resolve(table);
      if (!Files.isReadable(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file)) {
        String[] f = line.trim().split("\\s+");
        // sl local_address rem_address st ... inode; st 0A is LISTEN
        if (f.length > 9 && f[3].equals("0A") && f[1].endsWith(":" + String.format(Locale.ROOT, "%04X", port))) {
          sockets.add("socket:[" + f[9] + "]");
        }
      }
    }
    if (sockets.isEmpty()) {
      return false;
    }
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
      for (Path fd : fds) {
        try {
          if (sockets.contains(Files.readSymbolicLink(fd).toString())) {
            return true;
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor went away while listing: not the listening socket
        }
      }
    }
    return false;
  }
}
