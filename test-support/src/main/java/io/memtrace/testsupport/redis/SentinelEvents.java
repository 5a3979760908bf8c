package io.memtrace.testsupport.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What Sentinels announced while a test ran: every event each publishes ({@code +switch-master}, {@code +sdown},
 * {@code +convert-to-slave} and the rest), in the order read, with the time and the Sentinel. A test can then tell
 * which nodes were made replicas, by whom, and its failure message shows what the Sentinels did. Each Sentinel acts
 * on its own view: under load one that has not yet learnt of a failover can turn the new primary back into a replica
 * for a moment ({@code +convert-to-slave}), which its clients meet as {@code READONLY} replies.
 */
public final class SentinelEvents implements AutoCloseable {

  private final List<Resp> connections = new ArrayList<>();
  private final List<Thread> readers = new ArrayList<>();
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean closing;

  private SentinelEvents() {
  }

  /** Subscribes to everything the Sentinels on {@code ports} publish, from now on. */
  public static SentinelEvents start(List<Integer> ports) throws IOException {
    SentinelEvents recorder = new SentinelEvents();
    try {
      for (int port : ports) {
        Resp resp = Resp.connect("127.0.0.1", port);
        recorder.connections.add(resp);
        resp.send("PSUBSCRIBE", "*");
        Object confirmation = resp.read();
        if (!(confirmation instanceof List) || !"psubscribe".equals(((List<?>) confirmation).get(0))) {
          throw new IOException("PSUBSCRIBE * on Sentinel " + port + " answered " + confirmation);
        }
        resp.timeout(0);
        Thread reader = new Thread(() -> recorder.read(resp, port), "sentinel-events-" + port);
        reader.setDaemon(true);
        recorder.readers.add(reader);
      }
    } catch (IOException | RuntimeException e) {
      recorder.close();
      throw e;
    }
    recorder.readers.forEach(Thread::start);
    return recorder;
  }

  private void read(Resp resp, int port) {
    try {
      while (!closing) {
        Object message = resp.read();
        if (message instanceof List && ((List<?>) message).size() == 4 && "pmessage".equals(((List<?>) message).get(0))) {
          List<?> parts = (List<?>) message;
          events.add(System.currentTimeMillis() + " @" + port + " " + parts.get(2) + " " + parts.get(3));
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!closing) {
        events.add(System.currentTimeMillis() + " @" + port + " (recorder) stopped: " + e);
      }
    }
  }

  /**
   * What was announced so far, in the order read, a line each: when it was read (epoch milliseconds), {@code @} and
   * the Sentinel's port, the channel, and the message ({@code 1764140000123 @26379 +switch-master NAME IP PORT IP PORT}).
   */
  public List<String> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  @Override
  public void close() throws IOException {
    closing = true;
    for (Resp resp : connections) {
      resp.close();
    }
    for (Thread reader : readers) {
      try {
        reader.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
