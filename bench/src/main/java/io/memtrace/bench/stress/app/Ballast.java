package io.memtrace.bench.stress.app;

import java.util.ArrayList;
import java.util.List;

/**
 * Heap held on purpose ({@code --ballast-percent P}): byte arrays added until the heap used after a
 * {@code System.gc()} reaches P % of {@code Runtime.maxMemory()}, so the agent runs in a heap with
 * little room left. Filling may throw {@link OutOfMemoryError}; the caller reports it.
 */
final class Ballast {

  /**
   * Small enough never to be a humongous object in G1 (half a region, 512 KiB at the least), whose
   * whole-region rounding would make the heap look fuller than the ballast is; and a little under a
   * quarter of a 1 MiB region, so that four arrays with their headers fill one: at exactly 256 KiB
   * only three fit, a quarter of every region is lost, and a 90 % ballast no longer fits the heap.
   */
  static final int CHUNK_BYTES = 256 * 1024 - 64;
  /** Each round measures again after a GC; a few rounds absorb what the first estimate missed. */
  private static final int ROUNDS = 8;

  private final List<byte[]> chunks = new ArrayList<>();

  /** The bytes to add to a heap of {@code max} bytes using {@code usedAfterGc} to reach {@code percent} %. */
  static long bytesToAdd(long usedAfterGc, long max, double percent) {
    long target = (long) (max * (percent / 100.0));
    return Math.max(0, target - usedAfterGc);
  }

  /** Chunks of {@link #CHUNK_BYTES} that hold {@code bytes}, the last one partly used. */
  static long chunksFor(long bytes) {
    return (bytes + CHUNK_BYTES - 1) / CHUNK_BYTES;
  }

  /** Fills the heap to {@code percent} % (nothing for 0) and holds it until the ballast is unreachable. */
  static Ballast fill(double percent) {
    Ballast ballast = new Ballast();
    if (percent <= 0) {
      return ballast;
    }
    for (int round = 0; round < ROUNDS; round++) {
      System.gc();
      long add = bytesToAdd(ProcessGauges.heapUsedBytes(), Runtime.getRuntime().maxMemory(), percent);
      if (add < CHUNK_BYTES) {
        break;
      }
      for (long i = chunksFor(add); i > 0; i--) {
        ballast.chunks.add(new byte[CHUNK_BYTES]);
      }
    }
    return ballast;
  }

  long bytes() {
    return (long) chunks.size() * CHUNK_BYTES;
  }
}
