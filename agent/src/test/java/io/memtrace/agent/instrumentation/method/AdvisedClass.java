package io.memtrace.agent.instrumentation.method;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * A test class redefined with {@link MethodAdvice} on chosen methods, without any agent: Byte
 * Buddy's {@code redefine} writes the advice into the class's own bytes and a class loader of the
 * test's defines the result. Where the advice's calls to the bootstrap hooks land depends on the
 * {@link Bridge} chosen: the test's own copy, an isolated copy, or none at all.
 */
final class AdvisedClass {

  /** Which copy of {@code io.memtrace.agent.bootstrap} the redefined class calls. */
  enum Bridge {
    /** The test's own classes: a sink installed by the test sees every call. */
    SHARED,
    /**
     * A fresh copy, initialised while {@code memtrace.test.inject-failure} is set, so every hook
     * throws from inside memtrace's code.
     */
    FAILING,
    /** None: the hooks cannot even be linked, so the advice's call itself throws. */
    MISSING
  }

  private final Map<String, Integer> rules = new HashMap<>();

  /** Advises the methods named {@code method} with rule id {@code rule}. */
  AdvisedClass advise(String method, int rule) {
    rules.put(method, rule);
    return this;
  }

  /** A new instance of the redefined {@code type}, seen through the interface it implements. */
  <T> T instance(Class<? extends T> type, Class<T> as, Bridge bridge) {
    AsmVisitorWrapper.ForDeclaredMethods visitor = new AsmVisitorWrapper.ForDeclaredMethods();
    for (Map.Entry<String, Integer> rule : rules.entrySet()) {
      visitor = visitor.invokable(ElementMatchers.<MethodDescription>named(rule.getKey()),
          Advice.withCustomMapping().bind(RuleId.class, rule.getValue()).to(MethodAdvice.class));
    }
    byte[] bytes = new ByteBuddy().redefine(type).visit(visitor).make().getBytes();
    Loader loader = new Loader(type.getName(), bytes, bridge);
    try {
      if (bridge == Bridge.FAILING) {
        String previous = System.setProperty("memtrace.test.inject-failure", "true");
        try {
          installSink(loader);
        } finally {
          if (previous == null) {
            System.clearProperty("memtrace.test.inject-failure");
          } else {
            System.setProperty("memtrace.test.inject-failure", previous);
          }
        }
      }
      return as.cast(loader.loadClass(type.getName()).getDeclaredConstructor().newInstance());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Internal errors counted by the bridge copy that {@code instance} calls. */
  static long internalErrors(Object instance) throws ReflectiveOperationException {
    Class<?> bridge = instance.getClass().getClassLoader()
        .loadClass("io.memtrace.agent.bootstrap.Bridge");
    return (Long) bridge.getMethod("internalErrors").invoke(null);
  }

  /** Switches the isolated bridge on with a sink that records nothing. */
  private static void installSink(ClassLoader loader) throws ReflectiveOperationException {
    Class<?> sink = loader.loadClass("io.memtrace.agent.bootstrap.EventSink");
    Class<?> bridge = Class.forName("io.memtrace.agent.bootstrap.Bridge", true, loader);
    bridge.getMethod("install", sink, boolean.class, boolean.class)
        .invoke(null, sink.getField("NO_OP").get(null), false, true);
  }

  /** Defines the redefined class, and for {@link Bridge#FAILING} its own bootstrap package. */
  private static final class Loader extends ClassLoader {
    private static final String BOOTSTRAP = "io.memtrace.agent.bootstrap.";
    private final String name;
    private final byte[] bytes;
    private final Bridge bridge;

    Loader(String name, byte[] bytes, Bridge bridge) {
      super(AdvisedClass.class.getClassLoader());
      this.name = name;
      this.bytes = bytes;
      this.bridge = bridge;
    }

    @Override
    protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(className)) {
        Class<?> loaded = findLoadedClass(className);
        if (loaded != null) {
          return loaded;
        }
        if (className.equals(name)) {
          return defineClass(className, bytes, 0, bytes.length);
        }
        if (className.startsWith(BOOTSTRAP) && bridge == Bridge.MISSING) {
          throw new ClassNotFoundException(className + " is hidden from this test class");
        }
        if (className.startsWith(BOOTSTRAP) && bridge == Bridge.FAILING) {
          byte[] own = read(className);
          return defineClass(className, own, 0, own.length);
        }
        return super.loadClass(className, resolve);
      }
    }

    private byte[] read(String className) {
      try (InputStream in = getParent().getResourceAsStream(className.replace('.', '/') + ".class")) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
