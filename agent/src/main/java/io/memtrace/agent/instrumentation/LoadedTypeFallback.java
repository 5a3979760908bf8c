package io.memtrace.agent.instrumentation;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Byte Buddy's type pool as the agent builder uses it (lazy, reading class files), plus one
 * fallback: a type whose class file cannot be found is described from its loaded class.
 *
 * <p>Why: another agent that ran first (the OpenTelemetry Java agent does) may have added
 * interfaces to a class that exist only as classes it defined at run time, with no class file
 * anywhere ({@code io.opentelemetry.javaagent.bootstrap.field.VirtualFieldAccessor$...} on
 * Jedis's {@code Connection}). Byte Buddy then cannot describe the class being transformed and
 * gives up on it ({@code NoSuchTypeException}): memtrace saw no Redis command. Those classes are
 * loaded by then, so asking the class loader for them finds them without loading anything new.
 *
 * <p>The fallback is taken only where Byte Buddy found no class file, which does not happen for
 * an ordinary application's classes: they cost what they cost before.
 */
public final class LoadedTypeFallback implements AgentBuilder.PoolStrategy {

  /**
   * Takes the fallback once, describing one of memtrace's classes from its loaded class, so that
   * the classes that path needs are loaded on the thread that builds the agent, not first inside
   * another class's load on a thread that may hold another agent's locks (see the agent's
   * {@code TransformerRehearsal}).
   */
  public LoadedTypeFallback() {
    TypeDescription self = new Pool(ClassFileLocator.NoOp.INSTANCE, LoadedTypeFallback.class.getClassLoader())
        .describe(LoadedTypeFallback.class.getName()).resolve();
    self.getInterfaces().asErasures().size();
    self.getSuperClass();
    self.getDeclaredMethods().size();
  }

  @Override
  public TypePool typePool(ClassFileLocator classFileLocator, ClassLoader classLoader) {
    return new TypePool.LazyFacade(new Pool(classFileLocator, classLoader));
  }

  @Override
  public TypePool typePool(ClassFileLocator classFileLocator, ClassLoader classLoader, String name) {
    return typePool(classFileLocator, classLoader);
  }

  /** Resolves from class files first, then from the class loader. */
  static final class Pool extends TypePool.Default.WithLazyResolution {

    private final ClassLoader classLoader;

    Pool(ClassFileLocator classFileLocator, ClassLoader classLoader) {
      super(TypePool.CacheProvider.Simple.withObjectType(), classFileLocator, TypePool.Default.ReaderMode.FAST);
      this.classLoader = classLoader;
    }

    @Override
    protected Resolution doResolve(String name) {
      Resolution fromClassFile = super.doResolve(name);
      if (fromClassFile.isResolved()) {
        return fromClassFile;
      }
      try {
        return new Resolution.Simple(TypeDescription.ForLoadedType.of(Class.forName(name, false, classLoader)));
      } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
        return fromClassFile; // still unresolved: whoever asked reports it as before
      }
    }
  }
}
