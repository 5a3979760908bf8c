package io.memtrace.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;

/**
 * The commands written to one Redis connection and not yet answered, oldest first: Redis answers
 * a connection's commands in the order they were written, so the next reply read from the
 * connection belongs to the oldest pending command, whichever thread reads it. This is the one
 * place memtrace pairs replies with commands.
 *
 * <p>One thread at a time writes to a connection and one thread at a time reads from it (Jedis
 * requires that of its callers), but the two may be different threads at the same moment: a
 * pub/sub subscriber reads while another thread sends {@code UNSUBSCRIBE}. So this is a
 * single-producer single-consumer ring: the sender fills a slot and then publishes {@link #sent}
 * with release semantics; the reader copies a slot out and then advances {@link #answered}. The
 * reader advances by compare-and-set because {@link #discardAll()} (a disconnect) may advance it
 * too, and each command must be counted exactly once: answered, or dropped. Only the reader
 * clears slots: after taking a command it clears every slot up to it (dropped ones included) and
 * only then publishes {@link #released}, the bound the sender refills up to, so a slot being
 * cleared or copied is never one being refilled.
 *
 * <p>A command sent while {@link #CAPACITY} are pending is not recorded, only numbered: its reply
 * still consumes its place in the order, so later commands keep their own replies.
 *
 * <p>It is a weak reference to its connection, so that the registry keyed by connections never
 * keeps one alive and a thread's cached state can be checked against a connection without a map.
 */
public final class PendingCommands extends WeakReference<Object> {

  /** Commands recorded per connection; a longer pipeline is numbered, not recorded. */
  public static final int CAPACITY = 16;
  private static final int MASK = CAPACITY - 1;

  /** {@link #take} and {@link #peek}: nothing is pending. */
  public static final int NONE = 0;
  /** The oldest pending command was recorded; the call holds it. */
  public static final int RECORDED = 1;
  /** The oldest pending command was sent while the ring was full: only its place is known. */
  public static final int UNRECORDED = 2;

  private static final VarHandle SENT;
  private static final VarHandle ANSWERED;
  private static final VarHandle RELEASED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      SENT = lookup.findVarHandle(PendingCommands.class, "sent", long.class);
      ANSWERED = lookup.findVarHandle(PendingCommands.class, "answered", long.class);
      RELEASED = lookup.findVarHandle(PendingCommands.class, "released", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The identity hash of the connection, kept for the registry's table. */
  final int hash;

  /** Per slot, the number of the command it holds; another number means "not recorded". */
  private final long[] numbers = new long[CAPACITY];
  private final Object[] sockets = new Object[CAPACITY];
  private final Object[] commands = new Object[CAPACITY];
  private final Object[] arguments = new Object[CAPACITY];
  private final long[] startNanos = new long[CAPACITY];
  private final boolean[] handshake = new boolean[CAPACITY];

  /** Number of the next command to be written; only the sending thread writes it. */
  @SuppressWarnings("unused") // through SENT
  private volatile long sent;
  /** Number of the next command to be answered (or dropped). */
  @SuppressWarnings("unused") // through ANSWERED
  private volatile long answered;
  /** Commands below this number have been answered or dropped and their slots cleared. */
  @SuppressWarnings("unused") // through RELEASED
  private volatile long released;

  /**
   * How deep the connection's own set-up ({@code AUTH}, {@code HELLO}, {@code CLIENT SETINFO}, ...)
   * is nested; commands written meanwhile are handshake commands. Set up runs on one thread.
   */
  int handshakeDepth;

  /** Pub/sub bookkeeping, made the first time a subscription is confirmed on this connection. */
  Subscriptions subscriptions;

  /**
   * Jedis 3's {@code multi()} reads the {@code MULTI} reply at once: the command waits here, with
   * its reply read, for the batch that reads its {@code EXEC} (made once per connection that uses
   * it; touched only by the thread reading the connection).
   */
  RedisCall openedTransaction;

  public PendingCommands(Object connection) {
    super(connection);
    this.hash = System.identityHashCode(connection);
    java.util.Arrays.fill(numbers, -1);
  }

  /**
   * Records a command just written. Called by the one thread writing to the connection.
   *
   * @return false when {@link #CAPACITY} commands were pending and it was only numbered
   */
  public boolean add(Object socket, Object command, Object args, long start, boolean isHandshake) {
    long n = (long) SENT.getOpaque(this);
    boolean recorded = n - (long) RELEASED.getAcquire(this) < CAPACITY;
    if (recorded) {
      int i = (int) n & MASK;
      sockets[i] = socket;
      commands[i] = command;
      arguments[i] = args;
      startNanos[i] = start;
      handshake[i] = isHandshake;
      numbers[i] = n;
    }
    SENT.setRelease(this, n + 1);
    return recorded;
  }

  /**
   * Copies the oldest pending command into {@code call} without taking it (pub/sub confirmations
   * answer one command several times).
   *
   * @return its number, or -1 when nothing is pending; {@code call.recorded} says whether the
   *     command itself is known
   */
  public long peek(RedisCall call) {
    long a = (long) ANSWERED.getVolatile(this);
    if (a >= (long) SENT.getAcquire(this)) {
      return -1;
    }
    int i = (int) a & MASK;
    if (numbers[i] == a) {
      call.take(get(), sockets[i], commands[i], arguments[i], startNanos[i], handshake[i]);
    } else {
      call.takeUnrecorded(get());
    }
    return a;
  }

  /**
   * Takes command {@code number} (from {@link #peek}) as answered; false when a disconnect took it
   * meanwhile. Called by the one thread reading the connection. The slots up to it then let go of
   * the commands' objects, so an idle connection pins nothing of the application.
   */
  public boolean consume(long number) {
    if (!ANSWERED.compareAndSet(this, number, number + 1)) {
      return false;
    }
    release(number);
    return true;
  }

  /**
   * Takes the oldest pending command for a reply just read, like {@link #take}, but leaves {@code call} pointing at
   * its slot instead of copying it: each reference copied into the long-lived call costs the application thread a
   * garbage-collector write barrier, and the ring slot copies them once anyway. The slot stays the command's until
   * {@link #release} with the number returned, which the caller must do once it has published the command.
   *
   * @return the command's number, or -1 when nothing is pending
   */
  public long answer(RedisCall call) {
    while (true) {
      long a = (long) ANSWERED.getVolatile(this);
      if (a >= (long) SENT.getAcquire(this)) {
        return -1;
      }
      int i = (int) a & MASK;
      if (numbers[i] == a) {
        call.point(this, i);
      } else {
        call.takeUnrecorded(get());
      }
      if (ANSWERED.compareAndSet(this, a, a + 1)) {
        return a;
      }
      call.clear(); // a disconnect dropped it meanwhile: look again
    }
  }

  /**
   * Lets go of the slots up to command {@code number}, answered or dropped, so the sender may refill them and an idle
   * connection pins nothing of the application. Called by the one thread reading the connection.
   */
  public void release(long number) {
    for (long n = Math.max((long) RELEASED.getOpaque(this), number + 1 - CAPACITY); n <= number; n++) {
      int i = (int) n & MASK;
      sockets[i] = null;
      commands[i] = null;
      arguments[i] = null;
    }
    RELEASED.setRelease(this, number + 1);
  }

  Object socketAt(int slot) {
    return sockets[slot];
  }

  Object commandAt(int slot) {
    return commands[slot];
  }

  Object argumentsAt(int slot) {
    return arguments[slot];
  }

  long startNanosAt(int slot) {
    return startNanos[slot];
  }

  boolean handshakeAt(int slot) {
    return handshake[slot];
  }

  /**
   * Takes the oldest pending command for a reply just read, copying it into {@code call}.
   *
   * @return {@link #NONE}, {@link #RECORDED} or {@link #UNRECORDED}
   */
  public int take(RedisCall call) {
    long number = answer(call);
    if (number < 0) {
      return NONE;
    }
    call.detach();
    release(number);
    return call.recorded ? RECORDED : UNRECORDED;
  }

  /**
   * Gives up every pending command (the connection was closed: no reply will be read).
   *
   * @return how many were given up; each is counted here or answered by {@link #take}, never both
   */
  public long discardAll() {
    return discardAll(true);
  }

  /**
   * Gives up every pending command, as {@link #discardAll()}, counting only those that owe a span: a handshake
   * command owes none unless {@code countHandshakes} (handshake spans are on). Jedis's set-up writes its
   * {@code CLIENT SETINFO}s together and disconnects when the first reply fails (a server that died mid-handshake):
   * the second is given up here, hidden as it would have been answered, not a loss.
   *
   * @return how many owed a span; each is counted here or answered by {@link #take}, never both
   */
  public long discardAll(boolean countHandshakes) {
    while (true) {
      long a = (long) ANSWERED.getVolatile(this);
      long s = (long) SENT.getAcquire(this);
      if (a >= s) {
        return 0;
      }
      if (ANSWERED.compareAndSet(this, a, s)) {
        // their slots are cleared by the next reply read, or go with the connection: a reader
        // may be copying one of them right now. The flags are read before any of these slots can be refilled (the
        // sender refills up to what a reader released, and no reader releases past a before it reads past s); a slot
        // holding another number was never recorded, and is counted
        long owed = s - a;
        if (!countHandshakes) {
          for (long n = a; n < s; n++) {
            int i = (int) n & MASK;
            if (numbers[i] == n && handshake[i]) {
              owed--;
            }
          }
        }
        return owed;
      }
    }
  }

  /** Commands written and neither answered nor given up. */
  public long pending() {
    return (long) SENT.getAcquire(this) - (long) ANSWERED.getVolatile(this);
  }

  /** Whether the connection is setting itself up, so a command written now is a handshake command. */
  public boolean inHandshake() {
    return handshakeDepth > 0;
  }
}
