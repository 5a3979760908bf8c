package io.memtrace.collector.boot;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

/**
 * The collector jar's entry point. It runs the command line in a class loader that hands DuckDB its native library
 * from one shared, versioned file ({@link NativeLibraryCache}) instead of letting DuckDB copy 70 MB into the
 * temporary directory for every JVM: a copy that only a normal exit deletes, so every killed collector left one.
 * The loader sees the same class path as this one; only the library lookup differs.
 */
public final class CollectorLauncher {

  /** The class whose {@code main} the launcher runs: the command line. */
  public static final String COMMAND_LINE = "io.memtrace.collector.cli.CollectorMain";

  private CollectorLauncher() {
  }

  /** The loader {@link #execute} runs its commands in, made once. */
  private static ClassLoader commands;

  public static void main(String[] args) throws Throwable {
    ClassLoader loader = loader();
    Thread.currentThread().setContextClassLoader(loader);
    try {
      Class.forName(COMMAND_LINE, true, loader).getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * Runs one command as {@link #main} does, but returns its exit code instead of exiting: for a process that runs
   * several commands one after the other (test-support's CollectorShell, so that a test's import and reports share
   * one JVM start and its warmed-up code). The commands share one loader, so DuckDB's library is loaded once.
   */
  public static synchronized int execute(String... args) throws Throwable {
    if (commands == null) {
      commands = loader();
    }
    Thread.currentThread().setContextClassLoader(commands);
    try {
      return (Integer) Class.forName(COMMAND_LINE, true, commands).getMethod("execute", String[].class)
          .invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static ClassLoader loader() throws MalformedURLException {
    return new NativeLibraryLoader(classPath(), ClassLoader.getPlatformClassLoader(), NativeLibraryCache.standard());
  }

  private static URL[] classPath() throws MalformedURLException {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    return urls.toArray(new URL[0]);
  }
}
