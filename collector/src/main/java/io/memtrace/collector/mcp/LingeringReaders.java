package io.memtrace.collector.mcp;

import io.memtrace.collector.reader.StoreReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Readers for {@code mcp --data DIR}: an assistant asks in bursts, and opening a reader of a store on disk costs a
 * quarter of a second and more (DuckDB opens the file), so one reader stays open between calls that come close
 * together and is closed once {@code idleMillis} pass without one, which lets a {@code serve} start on the
 * directory then. Each call borrows it alone (a reader is used by one thread at a time); closing what {@link #open}
 * gave returns it.
 */
public final class LingeringReaders implements StoreReader.Factory {

  private final StoreReader.Factory opener;
  private final long idleMillis;
  private final Semaphore turn = new Semaphore(1, true);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "memtrace-mcp-reader-idle");
    t.setDaemon(true);
    return t;
  });
  private StoreReader open;
  private long lastUsed;

  public LingeringReaders(StoreReader.Factory opener, long idleMillis) {
    this.opener = opener;
    this.idleMillis = idleMillis;
    timer.scheduleWithFixedDelay(this::closeIfIdle, idleMillis, Math.max(100, idleMillis / 4), TimeUnit.MILLISECONDS);
  }

  @Override
  public StoreReader open() {
    turn.acquireUninterruptibly();
    StoreReader reader;
    try {
      synchronized (this) {
        if (open == null) {
          open = opener.open();
        }
        reader = open;
      }
    } catch (RuntimeException e) {
      turn.release();
      throw e;
    }
    return (StoreReader) Proxy.newProxyInstance(StoreReader.class.getClassLoader(), new Class<?>[] {StoreReader.class},
        (proxy, method, args) -> {
          if (method.getName().equals("close") && method.getParameterCount() == 0) {
            synchronized (this) {
              lastUsed = System.nanoTime();
            }
            turn.release();
            return null;
          }
          try {
            return method.invoke(reader, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private void closeIfIdle() {
    if (!turn.tryAcquire()) {
      return; // a call has it
    }
    try {
      synchronized (this) {
        if (open != null && System.nanoTime() - lastUsed > TimeUnit.MILLISECONDS.toNanos(idleMillis)) {
          open.close();
          open = null;
        }
      }
    } finally {
      turn.release();
    }
  }
}
