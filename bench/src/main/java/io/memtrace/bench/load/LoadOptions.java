package io.memtrace.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The load run's options, each checked, with the defaults of issue 14's scenario. */
final class LoadOptions {

  static final String USAGE = "usage: bench/load.sh [--commands 2000000] [--threads 4] [--sink collector|discard] "
      + "[--retention on|off] [--rate COMMANDS_PER_S (0: unpaced)] [--seconds 300] [--value-bytes 100] "
      + "[--agent-env K=V,...] [--serve-args '...'] [--jvm-args '...'] [--redis host:port] [--agent JAR] "
      + "[--collector JAR] [--out DIR]\n"
      + "       bench/load.sh --store DIR     (only the duplicate check, seed-query and report times of an existing store)\n"
      + "       bench/load.sh --growth 1000000,10000000,30000000 [--keep DIR]   (the collector alone: how its costs grow "
      + "with the store; load.sh runs the collector's GrowthBenchmark, not this harness)";

  long commands = 2_000_000;
  int threads = 4;
  String sink = "collector";
  boolean retention;
  double rate;
  double seconds = 300;
  int valueBytes = 100;
  Map<String, String> agentEnv = new LinkedHashMap<>();
  List<String> serveArgs = new ArrayList<>();
  List<String> jvmArgs = new ArrayList<>();
  String redis;
  Path store;
  Path agentJar;
  Path collectorJar;
  Path benchJar;
  Path out;

  static LoadOptions parse(String[] args) throws Exception {
    LoadOptions o = new LoadOptions();
    o.benchJar = Paths.get(LoadOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path root = o.benchJar.getParent().getParent().getParent();
    String agent = root.resolve("agent/target/memtrace-agent.jar").toString();
    String collector = root.resolve("collector/target/memtrace-collector.jar").toString();
    String out = root.resolve("bench/target/load").toString();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!name.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(name.startsWith("--") ? name + " needs a value" : "unexpected " + name);
      }
      String v = args[++i];
      switch (name) {
        case "--commands" -> o.commands = positive(name, Long.parseLong(v.replace(",", "").replace("_", "")));
        case "--threads" -> o.threads = (int) positive(name, Integer.parseInt(v));
        case "--sink" -> o.sink = oneOf(name, v, "collector", "discard");
        case "--retention" -> o.retention = oneOf(name, v, "on", "off").equals("on");
        case "--rate" -> o.rate = Math.max(0, Double.parseDouble(v));
        case "--seconds" -> o.seconds = positive(name, Double.parseDouble(v));
        case "--value-bytes" -> o.valueBytes = Integer.parseInt(v);
        case "--agent-env" -> {
          for (String kv : v.split(",")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
              throw new IllegalArgumentException("--agent-env takes NAME=VALUE pairs, got " + kv);
            }
            o.agentEnv.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
          }
        }
        case "--serve-args" -> o.serveArgs = words(v);
        case "--jvm-args" -> o.jvmArgs = words(v);
        case "--redis" -> o.redis = v;
        case "--store" -> o.store = Paths.get(v).toAbsolutePath();
        case "--agent" -> agent = v;
        case "--collector" -> collector = v;
        case "--out" -> out = v;
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (o.store == null) {
      o.agentJar = existing(agent, "the memtrace agent (mvn -B package -DskipTests -pl agent)");
    } else if (!Files.isDirectory(o.store)) {
      throw new IllegalArgumentException("--store " + o.store + " is not a directory");
    }
    if (o.store != null || o.sink.equals("collector")) {
      o.collectorJar = existing(collector, "the collector (mvn -B package -DskipTests -pl collector -am)");
    }
    o.out = Paths.get(out).toAbsolutePath();
    return o;
  }

  private static long positive(String name, double v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
    return (long) Math.ceil(v);
  }

  private static String oneOf(String name, String v, String... allowed) {
    if (!List.of(allowed).contains(v)) {
      throw new IllegalArgumentException(name + " must be one of " + String.join(", ", allowed) + ", got " + v);
    }
    return v;
  }

  private static List<String> words(String v) {
    List<String> words = new ArrayList<>();
    for (String w : v.strip().split("\\s+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }

  private static Path existing(String path, String what) {
    Path p = Paths.get(path).toAbsolutePath().normalize();
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException(what + " is not at " + p);
    }
    return p;
  }
}
