package io.memtrace.bench.stress;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code bench/stress.sh}'s command line. */
final class StressOptions {

  static final String USAGE = """
      usage: bench/stress.sh --list-scenarios
             bench/stress.sh --scenario NAME [--duration S]   one scenario at full length (or S seconds)
             bench/stress.sh --quick                          the critical scenarios, shortened
             bench/stress.sh --comprehensive                  every scenario at full length
             bench/stress.sh --ci                             every scenario shortened; exits 1 when a check fails
      options: --config FILE (default bench/stress.yaml)  --out DIR (default bench/target/stress)
               --scenarios A,B  --smoke (the build's test: the smoke lengths)
               --agent-env NAME=VALUE (repeatable) sets it in every agent run's environment, over the file's
                 agent-environment, e.g. --agent-env MEMTRACE_RETENTION_KEY_EVENTS=true""";

  boolean list;
  final List<String> scenarios = new ArrayList<>();
  StressConfig.Mode mode = StressConfig.Mode.COMPREHENSIVE;
  boolean quick;
  boolean failOnCheck;
  double duration;
  Path config = Paths.get("bench/stress.yaml");
  Path out = Paths.get("bench/target/stress");
  Path root = Paths.get(".");
  final Map<String, String> agentEnv = new LinkedHashMap<>();

  static StressOptions parse(String[] args) {
    StressOptions o = new StressOptions();
    boolean chosen = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--list-scenarios" -> o.list = true;
        case "--scenario", "--scenarios" -> {
          o.scenarios.addAll(List.of(value(args, ++i, a).split(",")));
          chosen = true;
        }
        case "--duration" -> o.duration = Double.parseDouble(value(args, ++i, a));
        case "--quick" -> {
          o.quick = true;
          o.mode = StressConfig.Mode.CI;
          chosen = true;
        }
        case "--comprehensive" -> chosen = true;
        case "--ci" -> {
          o.mode = StressConfig.Mode.CI;
          o.failOnCheck = true;
          chosen = true;
        }
        case "--smoke" -> {
          o.mode = StressConfig.Mode.SMOKE;
          o.failOnCheck = true;
        }
        case "--config" -> o.config = Paths.get(value(args, ++i, a));
        case "--out" -> o.out = Paths.get(value(args, ++i, a));
        case "--root" -> o.root = Paths.get(value(args, ++i, a));
        case "--agent-env" -> {
          String pair = value(args, ++i, a);
          int eq = pair.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--agent-env takes NAME=VALUE, not '" + pair + "'");
          }
          o.agentEnv.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
      }
    }
    if (!o.list && !chosen) {
      throw new IllegalArgumentException("say what to run");
    }
    if (o.duration < 0 || o.duration > 86_400) {
      throw new IllegalArgumentException("--duration must be between 0 and 86400 seconds");
    }
    return o;
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }
}
