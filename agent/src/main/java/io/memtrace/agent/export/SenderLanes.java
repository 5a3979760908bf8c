package io.memtrace.agent.export;

import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Up to {@code n} posts truly in flight to one endpoint: each lane is a thread with a connection
 * of its own ({@link HttpPoster}), so a slow endpoint (one that syncs every request to disk before
 * it answers) holds one lane, not the whole export path. A job goes to the first idle lane, so a
 * light load keeps using one thread and one kept-alive connection, and a lane's thread is started
 * only the first time a job needs it. With every lane busy, jobs wait in a queue of at most
 * {@code maxWaiting}; past that {@link #submit} refuses them, so nothing is queued without bound.
 *
 * <p>A job's network part runs on the lane; what it returns runs once the lane is free again
 * (completing an export, scheduling a retry), so whoever waits for that completion finds the lane
 * idle and the next job reuses its warm connection.
 */
final class SenderLanes {

  /**
   * One post: runs on a lane with that lane's connection and returns what to do once the lane is
   * free. It handles its own failures; one that throws anyway loses only itself.
   */
  interface Job {
    Runnable post(HttpPoster poster);
  }

  private final Lane[] lanes;
  private final ArrayDeque<Job> waiting = new ArrayDeque<>();
  private final int maxWaiting;
  private final Supplier<HttpPoster> posters;
  private final String threadName;
  private boolean stopped; // guarded by this

  SenderLanes(int n, int maxWaiting, Supplier<HttpPoster> posters, String threadName) {
    this.lanes = new Lane[Math.max(1, n)];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new Lane(i);
    }
    this.maxWaiting = maxWaiting;
    this.posters = posters;
    this.threadName = threadName;
  }

  /**
   * Gives {@code job} to the first idle lane, or queues it while all are busy; {@code false} when
   * the queue is full or the lanes are stopped, and then the job will not run.
   */
  synchronized boolean submit(Job job) {
    if (stopped) {
      return false;
    }
    for (Lane lane : lanes) {
      if (!lane.busy) {
        lane.assign(job);
        return true;
      }
    }
    if (waiting.size() >= maxWaiting) {
      return false;
    }
    waiting.add(job);
    return true;
  }

  /** How many lanes are posting (or about to) now. */
  synchronized int busy() {
    int busy = 0;
    for (Lane lane : lanes) {
      busy += lane.busy ? 1 : 0;
    }
    return busy;
  }

  /** How many lane threads were ever started. */
  synchronized int started() {
    int started = 0;
    for (Lane lane : lanes) {
      started += lane.thread != null ? 1 : 0;
    }
    return started;
  }

  /** Refuses new jobs; what is queued still goes, then each lane closes its connection and ends. */
  void stop() {
    synchronized (this) {
      stopped = true;
    }
    for (Lane lane : lanes) {
      Thread t = lane.thread;
      if (t != null) {
        LockSupport.unpark(t);
      }
    }
  }

  private final class Lane implements Runnable {
    private final int index;
    /** Assigned or running a job (guarded by the outer instance). */
    boolean busy;
    /** The job assigned and not yet taken (guarded by the outer instance). */
    Job next;
    volatile Thread thread;

    Lane(int index) {
      this.index = index;
    }

    /** Called holding the outer lock, on an idle lane. */
    void assign(Job job) {
      busy = true;
      next = job;
      if (thread == null) {
        Thread t = new Thread(this, lanes.length == 1 ? threadName : threadName + "-" + (index + 1));
        t.setDaemon(true);
        thread = t;
        t.start();
      } else {
        LockSupport.unpark(thread);
      }
    }

    @Override
    public void run() {
      HttpPoster poster = posters.get();
      try {
        Job job;
        while ((job = take()) != null) {
          Runnable after = null;
          try {
            after = job.post(poster);
          } catch (RuntimeException e) {
            after = null; // against its contract; the lane carries on for the others
          } finally {
            release();
          }
          if (after != null) {
            after.run();
          }
        }
      } finally {
        poster.close();
      }
    }

    /** The assigned job, waiting for one; {@code null} once stopped with nothing left. */
    private Job take() {
      while (true) {
        synchronized (SenderLanes.this) {
          if (next != null) {
            Job job = next;
            next = null;
            return job;
          }
          if (stopped && !busy) {
            return null;
          }
        }
        LockSupport.park(this);
      }
    }

    /** The job ended: takes the next queued one, or becomes idle. */
    private void release() {
      synchronized (SenderLanes.this) {
        next = waiting.poll();
        busy = next != null;
      }
    }
  }
}
