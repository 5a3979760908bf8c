package io.memtrace.bench.stress.app;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The process's own figures for a sample: heap, heap after the latest GC (from GC notifications, so
 * no sample ever forces a collection), threads, file descriptors and sockets, CPU time.
 */
final class ProcessGauges implements AutoCloseable {

  private static final double MIB = 1024.0 * 1024.0;
  private static final Path FDS = Path.of("/proc/self/fd");

  /** Entries of {@code /proc/self/fd}, and how many of them are sockets; -1 where there is no /proc. */
  record Descriptors(long fds, long sockets) {
  }

  private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onGc;
  private volatile long heapAfterGcBytes = -1;

  ProcessGauges() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
  }

  double heapUsedMb() {
    return heapUsedBytes() / MIB;
  }

  /** Heap used after the latest GC, all heap pools; -1 before the first. */
  double heapAfterGcMb() {
    long bytes = heapAfterGcBytes;
    return bytes < 0 ? -1 : bytes / MIB;
  }

  long threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  long processCpuMillis() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      long nanos = os.getProcessCpuTime();
      return nanos < 0 ? -1 : nanos / 1_000_000;
    }
    return -1;
  }

  Descriptors descriptors() {
    long fds = 0;
    long sockets = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(FDS)) {
      for (Path fd : entries) {
        fds++;
        try {
          if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
            sockets++;
          }
        } catch (IOException e) {
          // closed between the listing and the look: still counted as it was listed
        }
      }
    } catch (IOException e) {
      return new Descriptors(-1, -1);
    }
    return new Descriptors(fds, sockets);
  }

  static long heapUsedBytes() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private void onGc(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    heapAfterGcBytes = used;
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException e) {
        // never added: nothing to remove
      }
    }
  }
}
