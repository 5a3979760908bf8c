package io.memtrace.agent.instrumentation.method;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads one path element from a live object, on the consumer thread: a map key, {@code size} or
 * {@code length}, a record component, a getter ({@code getX}, {@code isX}), a field, or a no-arg
 * method of that name. Lookups are resolved once per class and element, then cached.
 */
final class Accessors {

  /** A resolved way to read one element from instances of one class. */
  interface Accessor {
    Object read(Object target) throws Exception;
  }

  private static final Accessor MISSING = target -> {
    throw new NoSuchFieldException();
  };

  private static final ClassValue<Map<String, Accessor>> CACHE = new ClassValue<Map<String, Accessor>>() {
    @Override
    protected Map<String, Accessor> computeValue(Class<?> type) {
      return new ConcurrentHashMap<>();
    }
  };

  private Accessors() {
  }

  /**
   * Reads {@code element} from {@code target}. An {@code Optional} answers {@code present},
   * {@code isPresent}, {@code empty} and {@code isEmpty} itself; for any other element it is
   * unwrapped first.
   *
   * @throws NoSuchFieldException when the class has nothing of that name
   */
  static Object read(Object target, String element) throws Exception {
    if (target instanceof Optional) {
      Boolean presence = presence((Optional<?>) target, element);
      if (presence != null) {
        return presence;
      }
    }
    Object value = unwrap(target);
    if (value == null) {
      return null;
    }
    if (value instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) value;
      if (map.containsKey(element) || !(element.equals("size"))) {
        return map.get(element);
      }
      return map.size();
    }
    if (element.equals("size") || element.equals("length")) {
      if (value instanceof Collection) {
        return ((Collection<?>) value).size();
      }
      if (value.getClass().isArray()) {
        return Array.getLength(value);
      }
      if (value instanceof CharSequence) {
        return ((CharSequence) value).length();
      }
    }
    Accessor accessor = CACHE.get(value.getClass()).computeIfAbsent(element, e -> resolve(value.getClass(), e));
    if (accessor == MISSING) {
      throw new NoSuchFieldException(value.getClass().getName() + " has no field, getter or record component '" + element + "'");
    }
    return accessor.read(value);
  }

  /** Whether {@code optional} has a value, when {@code element} asks that; otherwise {@code null}. */
  private static Boolean presence(Optional<?> optional, String element) {
    switch (element) {
      case "present":
      case "isPresent":
        return optional.isPresent();
      case "empty":
      case "isEmpty":
        return optional.isEmpty();
      default:
        return null;
    }
  }

  static Object unwrap(Object value) {
    if (value instanceof Optional) {
      return ((Optional<?>) value).orElse(null);
    }
    return value;
  }

  private static Accessor resolve(Class<?> type, String element) {
    String capital = Character.toUpperCase(element.charAt(0)) + element.substring(1);
    for (String name : new String[] {element, "get" + capital, "is" + capital}) {
      Method method = publicNoArgMethod(type, name);
      if (method != null) {
        return method::invoke;
      }
    }
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (String name : new String[] {element, "get" + capital, "is" + capital}) {
        Method declared = declaredNoArgMethod(c, name);
        if (declared != null) {
          return declared::invoke;
        }
      }
      try {
        Field field = c.getDeclaredField(element);
        if (!Modifier.isStatic(field.getModifiers()) && field.trySetAccessible()) {
          return field::get;
        }
      } catch (NoSuchFieldException e) {
        // keep looking in the superclass
      }
    }
    return MISSING;
  }

  /** A non-public no-arg method of {@code type} itself that this module may open, or {@code null}. */
  private static Method declaredNoArgMethod(Class<?> type, String name) {
    try {
      Method method = type.getDeclaredMethod(name);
      if (method.getReturnType() == void.class || Modifier.isStatic(method.getModifiers())) {
        return null;
      }
      return method.trySetAccessible() ? method : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /**
   * A public no-arg method callable from here. A public method of a non-public class (a JDK
   * collection's implementation, say) is looked up on the public types it implements instead.
   */
  private static Method publicNoArgMethod(Class<?> type, String name) {
    Method method;
    try {
      method = type.getMethod(name);
    } catch (NoSuchMethodException e) {
      return null;
    }
    if (method.getReturnType() == void.class || Modifier.isStatic(method.getModifiers())) {
      return null;
    }
    if (method.trySetAccessible()) {
      return method;
    }
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      Method viaPublic = onPublicType(c, name);
      if (viaPublic != null) {
        return viaPublic;
      }
      for (Class<?> i : c.getInterfaces()) {
        viaPublic = onPublicType(i, name);
        if (viaPublic != null) {
          return viaPublic;
        }
      }
    }
    return null;
  }

  private static Method onPublicType(Class<?> type, String name) {
    if (!Modifier.isPublic(type.getModifiers())) {
      return null;
    }
    try {
      Method method = type.getMethod(name);
      return method; // public method of a public type: callable without setAccessible
    } catch (NoSuchMethodException | IllegalArgumentException e) {
      return null;
    }
  }
}
