package io.memtrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.instrument.ClassFileTransformer;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ByteArrayClassLoader;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.Test;

/**
 * Once the start-up gate is registered, and once the rules' transformer is handed to other threads,
 * a class that no rule targets passes through them without loading a class of memtrace's or Byte
 * Buddy's. A load there, inside another
 * class's load on a thread holding another agent's locks, is how memtrace's start deadlocked with
 * the OpenTelemetry Java agent's {@code premain} (see {@link TransformerRehearsal}).
 */
class HandOverRehearsalTest {

  @Test
  void shouldLoadNoClassWhenTheHandedOverTransformerFirstMeetsAClass() throws Exception {
    try (CountingLoader isolated = new CountingLoader(classPath())) {
      ClassFileTransformer gate = (ClassFileTransformer) isolated.loadClass(HandOverProbe.class.getName())
          .getMethod("installedGate").invoke(null);
      assertThat(isolated.defined).as("the probe ran in its own loader").contains(StartupGate.class.getName());

      int before = isolated.defined.size();
      ClassLoader app = getClass().getClassLoader();
      byte[] plain = new ByteBuddy().subclass(Object.class).name("com.example.Plain").make().getBytes();
      assertThat(gate.transform(app.getUnnamedModule(), app, "com/example/Plain", null, null, plain)).isNull();
      // an interface that exists only as a loaded class takes the type pool's fallback
      ClassLoader injecting = new ByteArrayClassLoader(app, false, Map.of(),
          ByteArrayClassLoader.PersistenceHandler.LATENT);
      Class<?> accessor = new ByteBuddy().makeInterface().name("com.example.InjectedAccessor").make()
          .load(injecting, ClassLoadingStrategy.Default.INJECTION).getLoaded();
      byte[] woven = new ByteBuddy().subclass(Object.class).name("com.example.Woven").implement(accessor)
          .make().getBytes();
      assertThat(gate.transform(injecting.getUnnamedModule(), injecting, "com/example/Woven", null, null, woven)).isNull();
      // a loaded class retransformed (another agent's premain does that): described from the loaded class
      Class<?> loaded = new ByteBuddy().subclass(Object.class).name("com.example.Loaded").implement(Runnable.class)
          .defineMethod("run", void.class, java.lang.reflect.Modifier.PUBLIC)
          .intercept(net.bytebuddy.implementation.StubMethod.INSTANCE).make()
          .load(injecting, ClassLoadingStrategy.Default.INJECTION).getLoaded();
      assertThat(gate.transform(injecting.getUnnamedModule(), injecting, "com/example/Loaded", loaded, null, plain))
          .isNull();

      assertThat(new ArrayList<>(isolated.defined.subList(before, isolated.defined.size())))
          .as("classes the transformer loaded on its first calls after the hand-over").isEmpty();
    }
  }

  @Test
  void shouldLoadNoClassWhenTheRegisteredGateFirstMeetsAClass() throws Exception {
    try (CountingLoader isolated = new CountingLoader(classPath())) {
      ClassFileTransformer gate = (ClassFileTransformer) isolated.loadClass(HandOverProbe.class.getName())
          .getMethod("registeredGate").invoke(null);
      int before = isolated.defined.size();
      ClassLoader app = getClass().getClassLoader();
      byte[] plain = new ByteBuddy().subclass(Object.class).name("com.example.Plain").make().getBytes();
      assertThat(gate.transform(app.getUnnamedModule(), app, "com/example/Plain", null, null, plain)).isNull();
      assertThat(new ArrayList<>(isolated.defined.subList(before, isolated.defined.size())))
          .as("classes the gate loaded on its first call after premain").isEmpty();
    }
  }

  @Test
  void shouldRehearseOnAClassFileTheJvmAccepts() throws Exception {
    String name = TransformerRehearsal.CLASS_NAME.replace('/', '.');
    ClassLoader loader = new ByteArrayClassLoader(getClass().getClassLoader(),
        Map.of(name, TransformerRehearsal.classFile(TransformerRehearsal.CLASS_NAME)));
    Object instance = loader.loadClass(name).getConstructor().newInstance();
    assertThat(instance.getClass().getMethod("run", String.class).invoke(instance, "x")).isEqualTo(0);
    assertThat(instance.getClass().getDeclaredField("value").getType()).isEqualTo(int.class);
  }

  private static URL[] classPath() throws MalformedURLException {
    String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<URL> urls = new ArrayList<>();
    for (String entry : path.split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    return urls.toArray(new URL[0]);
  }

  /** Defines its own copy of every class on the class path, and lists them in the order defined. */
  private static final class CountingLoader extends URLClassLoader {
    final List<String> defined = java.util.Collections.synchronizedList(new ArrayList<>());

    CountingLoader(URL[] urls) {
      super(urls, ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      Class<?> found = super.findClass(name);
      defined.add(name);
      return found;
    }
  }
}
