package io.memtrace.agent.instrumentation;

import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * How a version family switches itself on: the classes it transforms are matched by name, and
 * then only in a class loader whose library has the family's marker classes (added in its oldest
 * version) and lacks the classes of the next family (removed when that came). Checked after the
 * name, so only for the few types memtrace instruments; a marker is looked up as a resource, so
 * nothing is loaded.
 */
public final class ClassMarkers {

  private ClassMarkers() {
  }

  /** {@code types}, where the loader has every class of {@code present} and none of {@code absent}. */
  public static AgentBuilder.RawMatcher where(ElementMatcher<? super TypeDescription> types,
      List<String> present, List<String> absent) {
    return (type, loader, module, classBeingRedefined, domain) -> types.matches(type)
        && present.stream().allMatch(name -> has(loader, name))
        && absent.stream().noneMatch(name -> has(loader, name));
  }

  /** Whether {@code loader} (null: the system's) can find the class file of {@code className}. */
  public static boolean has(ClassLoader loader, String className) {
    String resource = className.replace('.', '/') + ".class";
    return (loader == null ? ClassLoader.getSystemResource(resource) : loader.getResource(resource)) != null;
  }
}
