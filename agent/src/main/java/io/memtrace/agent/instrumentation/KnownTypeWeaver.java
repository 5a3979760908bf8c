package io.memtrace.agent.instrumentation;

import io.memtrace.agent.util.AgentLog;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.TypeResolutionStrategy;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * Weaves the {@link KnownTypes} into a class file for {@link KnownTypeTransformer}, as Byte Buddy's
 * {@code AgentBuilder} would; the only class of the transformer that touches Byte Buddy,
 * so that a start whose classes all come from the cache never loads it.
 */
final class KnownTypeWeaver {

  /** What one weaving gave: the class file or null, and whether that answer holds for the same bytes next time. */
  static final class Result {
    static final Result PASSED_OVER = new Result(null, false);
    final byte[] woven;
    final boolean lasting;

    Result(byte[] woven, boolean lasting) {
      this.woven = woven;
      this.lasting = lasting;
    }
  }

  private final List<KnownTypes.Entry> entries;
  private final ByteBuddy byteBuddy = new ByteBuddy()
      .with(TypeValidation.DISABLED)
      .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
      .with(Implementation.Context.Disabled.Factory.INSTANCE); // no class format change: retransformable
  /** Byte Buddy's own guard: a class loaded while weaving another is not woven on that thread. */
  private final AgentBuilder.CircularityLock lock = new AgentBuilder.CircularityLock.Default();

  KnownTypeWeaver(List<KnownTypes.Entry> entries) {
    this.entries = entries;
  }

  Result weave(Module module, ClassLoader loader, String internalName, Class<?> classBeingRedefined,
      ProtectionDomain domain, byte[] bytes, boolean report) {
    if (!lock.acquire()) {
      return Result.PASSED_OVER;
    }
    String name = internalName.replace('/', '.');
    long started = System.nanoTime();
    try {
      ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, bytes),
          ClassFileLocator.ForClassLoader.of(loader));
      TypePool pool = new LoadedTypeFallback().typePool(locator, loader);
      TypeDescription type = pool.describe(name).resolve();
      JavaModule javaModule = module == null ? null : JavaModule.of(module);
      List<AgentBuilder.Transformer> matched = new ArrayList<>();
      for (KnownTypes.Entry entry : entries) {
        if (entry.matcher.matches(type, loader, javaModule, classBeingRedefined, domain)) {
          matched.add(entry.transformer);
        }
      }
      if (matched.isEmpty()) {
        return new Result(null, true);
      }
      DynamicType.Builder<?> builder = byteBuddy.decorate(type, locator);
      for (AgentBuilder.Transformer transformer : matched) {
        builder = transformer.transform(builder, type, loader, javaModule, domain);
      }
      byte[] woven = builder.make(TypeResolutionStrategy.Disabled.INSTANCE, pool).getBytes();
      if (report) {
        AgentLog.debug("instrumented " + name + (classBeingRedefined != null ? " (retransformed)" : "") + " in "
            + KnownTypeTransformer.millisSince(started) + " ms");
      }
      return new Result(woven, true);
    } catch (Throwable t) {
      AgentLog.warnOnce("transform-" + name, "could not instrument " + name + "; it runs unchanged: " + t, t);
      return Result.PASSED_OVER; // perhaps a class it needed was not there yet: asked again next time
    } finally {
      lock.release();
    }
  }
}
