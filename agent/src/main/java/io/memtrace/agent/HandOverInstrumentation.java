package io.memtrace.agent;

import java.lang.instrument.ClassDefinition;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.jar.JarFile;

/**
 * The JVM's {@link Instrumentation}, except that registering a transformer hands it to the
 * {@link StartupGate}, which is already registered. See there for why. Before it is handed over,
 * while no other thread can reach it, the transformer is given to {@code beforeHandOver} (the
 * rules' install rehearses it there: {@link TransformerRehearsal}).
 */
final class HandOverInstrumentation implements Instrumentation {

  private final Instrumentation jvm;
  private final StartupGate gate;
  private final Consumer<ClassFileTransformer> beforeHandOver;

  HandOverInstrumentation(Instrumentation jvm, StartupGate gate, Consumer<ClassFileTransformer> beforeHandOver) {
    this.jvm = jvm;
    this.gate = gate;
    this.beforeHandOver = beforeHandOver;
  }

  @Override
  public void addTransformer(ClassFileTransformer transformer, boolean canRetransform) {
    beforeHandOver.accept(transformer);
    gate.handOver(transformer);
  }

  @Override
  public void addTransformer(ClassFileTransformer transformer) {
    addTransformer(transformer, true);
  }

  @Override
  public boolean removeTransformer(ClassFileTransformer transformer) {
    return false; // memtrace never resets its instrumentation
  }

  @Override
  public boolean isRetransformClassesSupported() {
    return jvm.isRetransformClassesSupported();
  }

  @Override
  public void retransformClasses(Class<?>... classes) throws UnmodifiableClassException {
    jvm.retransformClasses(classes);
  }

  @Override
  public boolean isRedefineClassesSupported() {
    return jvm.isRedefineClassesSupported();
  }

  @Override
  public void redefineClasses(ClassDefinition... definitions)
      throws ClassNotFoundException, UnmodifiableClassException {
    jvm.redefineClasses(definitions);
  }

  @Override
  public boolean isModifiableClass(Class<?> type) {
    return jvm.isModifiableClass(type);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Class[] getAllLoadedClasses() {
    return jvm.getAllLoadedClasses();
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Class[] getInitiatedClasses(ClassLoader loader) {
    return jvm.getInitiatedClasses(loader);
  }

  @Override
  public long getObjectSize(Object object) {
    return jvm.getObjectSize(object);
  }

  @Override
  public void appendToBootstrapClassLoaderSearch(JarFile jar) {
    jvm.appendToBootstrapClassLoaderSearch(jar);
  }

  @Override
  public void appendToSystemClassLoaderSearch(JarFile jar) {
    jvm.appendToSystemClassLoaderSearch(jar);
  }

  @Override
  public boolean isNativeMethodPrefixSupported() {
    return jvm.isNativeMethodPrefixSupported();
  }

  @Override
  public void setNativeMethodPrefix(ClassFileTransformer transformer, String prefix) {
    jvm.setNativeMethodPrefix(transformer, prefix);
  }

  @Override
  public void redefineModule(Module module, Set<Module> extraReads,
      Map<String, Set<Module>> extraExports, Map<String, Set<Module>> extraOpens,
      Set<Class<?>> extraUses, Map<Class<?>, List<Class<?>>> extraProvides) {
    jvm.redefineModule(module, extraReads, extraExports, extraOpens, extraUses, extraProvides);
  }

  @Override
  public boolean isModifiableModule(Module module) {
    return jvm.isModifiableModule(module);
  }
}
