package io.memtrace.agent;

import io.memtrace.agent.config.ConfigLoader;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Paths;
import net.bytebuddy.agent.ByteBuddyAgent;

/** {@code java -jar memtrace-agent.jar attach <pid> [config=PATH]}: load memtrace into a running JVM. */
final class AttachCommand {

  private AttachCommand() {
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2 || !args[0].equals("attach")) {
      err.println("usage: java -jar memtrace-agent.jar attach <pid> [config=PATH]");
      err.println("  attaches memtrace to a running JVM; Jedis classes already loaded are retransformed.");
      err.println("  Exporter settings (OTEL_*, MEMTRACE_TRACES_FILE) are read from the target JVM's");
      err.println("  environment; memtrace settings from config=PATH or its MEMTRACE_* variables.");
      return args.length == 1 && (args[0].equals("--help") || args[0].equals("-h")) ? 0 : 2;
    }
    String pid = args[1];
    if (!pid.matches("\\d+")) {
      err.println("memtrace attach: '" + pid + "' is not a process id");
      return 2;
    }
    StringBuilder agentArgs = new StringBuilder();
    for (int i = 2; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith(ConfigLoader.AGENT_ARGUMENT)) {
        // the target JVM has its own working directory
        arg = ConfigLoader.AGENT_ARGUMENT
            + Paths.get(arg.substring(ConfigLoader.AGENT_ARGUMENT.length())).toAbsolutePath();
      }
      if (agentArgs.length() > 0) {
        agentArgs.append(',');
      }
      agentArgs.append(arg);
    }
    try {
      File jar = new File(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      ByteBuddyAgent.attach(jar, pid, agentArgs.length() == 0 ? null : agentArgs.toString());
      out.println("memtrace attached to " + pid);
      return 0;
    } catch (Exception | LinkageError e) {
      err.println("memtrace attach: could not attach to " + pid + ": " + reason(e));
      err.println("  (the process must be a JVM of this same user, and this java must be a JDK with the"
          + " jdk.attach module; see docs/troubleshooting.md)");
      return 1;
    }
  }

  /** Byte Buddy wraps the JDK's reason in its own exception; the innermost one with a message says why. */
  static String reason(Throwable e) {
    String why = e.toString();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        why = t.getClass().getSimpleName() + ": " + t.getMessage();
      }
    }
    return why;
  }
}
