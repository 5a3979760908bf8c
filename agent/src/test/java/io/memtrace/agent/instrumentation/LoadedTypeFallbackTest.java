package io.memtrace.agent.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ByteArrayClassLoader;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/**
 * A class whose interface was defined at run time, with no class file (as the OpenTelemetry agent
 * adds its VirtualField accessors), is described, interface included.
 */
class LoadedTypeFallbackTest {

  @Test
  void shouldDescribeAnInterfaceThatExistsOnlyAsALoadedClass() {
    ClassLoader loader = new ByteArrayClassLoader(getClass().getClassLoader(), false, java.util.Map.of(),
        ByteArrayClassLoader.PersistenceHandler.LATENT); // defines classes, serves no class files
    Class<?> injected = new ByteBuddy().makeInterface().name("test.InjectedAccessor").make()
        .load(loader, ClassLoadingStrategy.Default.INJECTION).getLoaded();
    byte[] target = new ByteBuddy().subclass(Object.class).name("test.Target").implement(injected).make().getBytes();
    ClassFileLocator locator = new ClassFileLocator.Compound(
        ClassFileLocator.Simple.of("test.Target", target), ClassFileLocator.ForClassLoader.of(loader));

    TypePool plain = AgentBuilder.PoolStrategy.Default.FAST.typePool(locator, loader);
    assertThat(plain.describe("test.InjectedAccessor").isResolved()).as("Byte Buddy alone").isFalse();

    TypePool pool = new LoadedTypeFallback().typePool(locator, loader);
    TypeDescription type = pool.describe("test.Target").resolve();
    assertThat(type.getInterfaces().asErasures()).extracting(TypeDescription::getName)
        .containsExactly("test.InjectedAccessor");
    assertThat(type.getInterfaces().get(0).asErasure().isInterface()).isTrue();
    assertThat(pool.describe("test.Missing").isResolved()).as("a type that is nowhere").isFalse();
  }
}
