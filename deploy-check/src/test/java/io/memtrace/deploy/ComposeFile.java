package io.memtrace.deploy;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** docker-compose.yml read as the checks need it: services, their mounts, environment and build. */
final class ComposeFile {

  static final String FILE = "docker-compose.yml";

  /** One volume entry: a bind mount (a host path) or a named volume. */
  record Mount(String source, String target, boolean bind) {
  }

  private final Map<String, Object> root = Repo.yaml(FILE);

  Set<String> serviceNames() {
    return services().keySet();
  }

  Map<String, Object> services() {
    return Repo.map(root.get("services"), "services");
  }

  Map<String, Object> service(String name) {
    Object service = services().get(name);
    if (service == null) {
      throw new AssertionError(FILE + " has no service '" + name + "' (has " + serviceNames() + ")");
    }
    return Repo.map(service, "services." + name);
  }

  Set<String> namedVolumes() {
    return Repo.map(root.get("volumes"), "volumes").keySet();
  }

  List<Mount> mounts(String service) {
    List<Mount> out = new ArrayList<>();
    for (Object entry : Repo.list(service(service).get("volumes"), service + ".volumes")) {
      if (entry instanceof String s) {
        String[] parts = s.split(":");
        boolean bind = parts[0].startsWith(".") || parts[0].startsWith("/") || parts[0].startsWith("~");
        out.add(new Mount(parts[0], parts.length > 1 ? parts[1] : parts[0], bind));
      } else {
        Map<String, Object> m = Repo.map(entry, service + ".volumes[]");
        out.add(new Mount(String.valueOf(m.get("source")), String.valueOf(m.get("target")), "bind".equals(m.get("type"))));
      }
    }
    return out;
  }

  /** The host file behind {@code containerPath}, through the service's bind mounts. */
  Optional<Path> hostPath(String service, String containerPath) {
    for (Mount mount : mounts(service)) {
      if (!mount.bind()) {
        continue;
      }
      String target = mount.target().endsWith("/") ? mount.target() : mount.target() + "/";
      if (containerPath.equals(mount.target())) {
        return Optional.of(Repo.path(mount.source()));
      }
      if (containerPath.startsWith(target)) {
        return Optional.of(Repo.path(mount.source()).resolve(containerPath.substring(target.length())));
      }
    }
    return Optional.empty();
  }

  /** The image a service runs, as the file pins it. */
  String image(String service) {
    return String.valueOf(service(service).get("image"));
  }

  Map<String, String> environment(String service) {
    Object env = service(service).get("environment");
    Map<String, String> out = new LinkedHashMap<>();
    if (env instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
    } else {
      for (Object entry : Repo.list(env, service + ".environment")) {
        String[] kv = String.valueOf(entry).split("=", 2);
        out.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    return out;
  }

  List<String> command(String service) {
    Object command = service(service).get("command");
    if (command instanceof String s) {
      return List.of(s.trim().split("\\s+"));
    }
    List<String> out = new ArrayList<>();
    Repo.list(command, service + ".command").forEach(c -> out.add(String.valueOf(c)));
    return out;
  }

  /** The value of {@code --flag value} or {@code --flag=value} in the service's command. */
  Optional<String> commandOption(String service, String flag) {
    List<String> command = command(service);
    for (int i = 0; i < command.size(); i++) {
      if (command.get(i).equals(flag) && i + 1 < command.size()) {
        return Optional.of(command.get(i + 1));
      }
      if (command.get(i).startsWith(flag + "=")) {
        return Optional.of(command.get(i).substring(flag.length() + 1));
      }
    }
    return Optional.empty();
  }

  /** Services this one waits for, with the condition ({@code service_started} for the list form). */
  Map<String, String> dependsOn(String service) {
    Object deps = service(service).get("depends_on");
    Map<String, String> out = new LinkedHashMap<>();
    if (deps instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(String.valueOf(k),
          String.valueOf(Repo.map(v, service + ".depends_on." + k).getOrDefault("condition", "service_started"))));
    } else {
      Repo.list(deps, service + ".depends_on").forEach(d -> out.put(String.valueOf(d), "service_started"));
    }
    return out;
  }

  /** The build context and Dockerfile of a service built here, if it is. */
  Optional<Map<String, Object>> build(String service) {
    Object build = service(service).get("build");
    if (build == null) {
      return Optional.empty();
    }
    if (build instanceof String context) {
      return Optional.of(Map.of("context", context, "dockerfile", "Dockerfile"));
    }
    Map<String, Object> out = new LinkedHashMap<>(Repo.map(build, service + ".build"));
    out.putIfAbsent("dockerfile", "Dockerfile");
    return Optional.of(out);
  }

  /** The Dockerfile of a service built here: {@code build.dockerfile}, relative to {@code build.context}. */
  Path dockerfile(String service) {
    Map<String, Object> build = build(service).orElseThrow(() -> new AssertionError(service + " is not built here"));
    return Repo.path(String.valueOf(build.get("context"))).resolve(String.valueOf(build.get("dockerfile"))).normalize();
  }

  /** Host and port of an address such as {@code http://otel-collector:4318/} or {@code jaeger:4317}. */
  static Map.Entry<String, Integer> hostAndPort(String address) {
    URI uri = URI.create(address.contains("://") ? address : "tcp://" + address);
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new AssertionError("'" + address + "' names no host and port");
    }
    return Map.entry(uri.getHost(), uri.getPort());
  }
}
