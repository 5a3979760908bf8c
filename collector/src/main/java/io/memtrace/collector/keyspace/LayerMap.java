package io.memtrace.collector.keyspace;

import io.memtrace.common.Glob;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which layer of the application's memory a namespace belongs to ({@code memory-state.layers}:
 * namespace globs for {@code session}, {@code cache} and {@code deep}), and which namespaces hold
 * the deep layer's records ({@code memory-state.deep-records}). The memory-state gauges come from it:
 * {@code memory.session.size} and {@code memory.cache.size} are the bytes of their layer,
 * {@code memory.deep.count} the keys of the deep-record namespaces. The first layer in the order
 * session, cache, deep whose glob matches wins.
 */
public final class LayerMap {

  public static final String SESSION = "session";
  public static final String CACHE = "cache";
  public static final String DEEP = "deep";
  /** The layers in the order they are tried. */
  public static final List<String> LAYERS = List.of(SESSION, CACHE, DEEP);

  /**
   * The default fits the demo's layered memory (session, cache, deep records): {@code session:<id>:messages},
   * {@code cache:<k>}, {@code deep:memory:<n>} with its tag sets and id counter, under the default
   * namespace rule (the namespace is everything before the last {@code :} or {@code /}).
   */
  public static final Map<String, List<String>> DEFAULT_GLOBS = defaultGlobs();
  public static final List<String> DEFAULT_DEEP_RECORDS = List.of("deep:memory");

  private final Map<String, List<String>> globs;
  private final Map<String, Pattern> patterns = new LinkedHashMap<>();
  private final List<String> deepRecordGlobs;
  private final Pattern deepRecords;

  public LayerMap(Map<String, List<String>> globs, List<String> deepRecordGlobs) {
    this.globs = Collections.unmodifiableMap(new LinkedHashMap<>(globs));
    for (String layer : LAYERS) {
      List<String> g = globs.getOrDefault(layer, List.of());
      if (!g.isEmpty()) {
        patterns.put(layer, Glob.compileAny(g));
      }
    }
    this.deepRecordGlobs = List.copyOf(deepRecordGlobs);
    this.deepRecords = deepRecordGlobs.isEmpty() ? null : Glob.compileAny(deepRecordGlobs);
  }

  public static LayerMap defaults() {
    return new LayerMap(DEFAULT_GLOBS, DEFAULT_DEEP_RECORDS);
  }

  /** The namespace's layer, or {@code null} when no layer's glob matches it. */
  public String layerOf(String namespace) {
    for (Map.Entry<String, Pattern> e : patterns.entrySet()) {
      if (e.getValue().matcher(namespace).matches()) {
        return e.getKey();
      }
    }
    return null;
  }

  /** Whether the namespace's keys are deep records, counted by {@code memory.deep.count}. */
  public boolean isDeepRecord(String namespace) {
    return deepRecords != null && deepRecords.matcher(namespace).matches();
  }

  public Map<String, List<String>> globs() {
    return globs;
  }

  public List<String> deepRecordGlobs() {
    return deepRecordGlobs;
  }

  private static Map<String, List<String>> defaultGlobs() {
    Map<String, List<String>> d = new LinkedHashMap<>();
    d.put(SESSION, List.of("session", "session:*"));
    d.put(CACHE, List.of("cache", "cache:*"));
    d.put(DEEP, List.of("deep", "deep:*"));
    return Collections.unmodifiableMap(d);
  }
}
