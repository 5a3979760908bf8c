package io.memtrace.collector.keyspace;

import java.util.Arrays;
import java.util.Random;

/**
 * Redis's key table as {@code SCAN} sees it, for simulating sampled passes without Redis: {@code keys} keys in
 * the smallest power of two of buckets that holds them (Redis 7's dict grows at one key a bucket), each key in a
 * bucket by a hash of its name. {@code SCAN} visits buckets in the reverse-binary order of their index; a random
 * index is a random position in that order, so a key's place is simply uniform. One {@code SCAN cursor COUNT c}
 * returns every key of the bucket at the cursor and of the next ones until it holds {@code c} keys, has visited
 * {@code 10 c} buckets, or reaches the end of the table (cursor 0, with no wrap-around), as
 * {@code scanGenericCommand} and {@code dictScan} do.
 */
final class ScanTable {

  private final int buckets;
  private final int[] bucketStart;
  private final int[] byBucket;

  /** Places keys {@code 0..keys-1} in buckets at random. */
  ScanTable(int keys, Random random) {
    buckets = Integer.highestOneBit(Math.max(1, keys - 1)) << 1;
    int[] bucket = new int[keys];
    bucketStart = new int[buckets + 1];
    for (int k = 0; k < keys; k++) {
      bucket[k] = random.nextInt(buckets);
      bucketStart[bucket[k] + 1]++;
    }
    for (int b = 0; b < buckets; b++) {
      bucketStart[b + 1] += bucketStart[b];
    }
    byBucket = new int[keys];
    int[] next = Arrays.copyOf(bucketStart, buckets);
    for (int k = 0; k < keys; k++) {
      byBucket[next[bucket[k]]++] = k;
    }
  }

  /** The keys one {@code SCAN <random cursor> COUNT count} returns. */
  int[] scan(int count, Random random) {
    int first = random.nextInt(buckets);
    int end = first;
    for (int visited = 0; end < buckets && visited < 10 * count
        && bucketStart[end] - bucketStart[first] < count; visited++) {
      end++;
    }
    return Arrays.copyOfRange(byBucket, bucketStart[first], bucketStart[end]);
  }
}
