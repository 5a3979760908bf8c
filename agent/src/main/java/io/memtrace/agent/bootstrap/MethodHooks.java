package io.memtrace.agent.bootstrap;

import java.util.concurrent.CompletionStage;

/**
 * Called by the advice on configured memory-manager and task methods. Entering pushes a frame that
 * becomes the thread's current span, so Redis commands and nested calls name it as their parent;
 * leaving publishes it. A {@code CompletionStage} result ends the span when the stage completes.
 *
 * <p>Every method catches everything: nothing thrown here may reach the application.
 */
public final class MethodHooks {

  /** Set in the rule id of task methods: their start is published too (see EventSink). */
  public static final int TASK_FLAG = 1 << 30;
  /**
   * Set in the rule id of hand-off methods (where a framework passes memory results on towards a
   * prompt): they make no span and push no frame; their end, with arguments and result, is published
   * for the consumer's provenance index.
   */
  public static final int HANDOFF_FLAG = 1 << 29;
  /** Set in the rule id of model calls: their frame is no memory operation for those inside it. */
  public static final int MODEL_FLAG = 1 << 28;
  /** Set in the rule id of model calls that return a reactive stream: the span ends when the stream does. */
  public static final int STREAM_FLAG = 1 << 27;
  /**
   * Streaming to a handler. With {@link #MODEL_FLAG}: a model call given a handler (its last argument), whose
   * span ends when the handler is told the stream ended. Without: a method that tells a handler so (LangChain4j's
   * {@code onCompleteResponse}, {@code onError}), which ends the span of the call that was given that handler.
   */
  public static final int HANDLER_FLAG = 1 << 26;
  /** What a streaming handler's partial response returns for its exit (see PendingStreams#checking). */
  private static final int CHECK_DEPTH = -3;
  /** The bits of a rule id that index the compiled rule. */
  public static final int INDEX_MASK = 0xFFFF;
  /** Where a rule id keeps its operation group (0 for tasks): the same operation on the same rule type. */
  public static final int GROUP_SHIFT = 16;
  public static final int MAX_GROUP = (1 << 10) - 1;
  private static final int GROUP_MASK = MAX_GROUP << GROUP_SHIFT;

  private MethodHooks() {
  }

  /** Returns the frame depth to hand back to {@link #exit}, or -1 when nothing was recorded. */
  public static int enter(int rule, Object self, Object a0, Object a1, Object a2, Object a3,
      Object a4, Object a5) {
    if (!Bridge.methodsEnabled()) {
      return -1;
    }
    ThreadContext context = null;
    int depth = 0;
    try {
      if (Bridge.INJECT_FAILURE) {
        throw new IllegalStateException("memtrace: injected failure in MethodHooks.enter");
      }
      context = ThreadContext.current();
      if ((rule & (HANDLER_FLAG | MODEL_FLAG)) == HANDLER_FLAG) {
        if ((rule & STREAM_FLAG) != 0) { // a partial response: after it, was the stream cancelled?
          return PendingStreams.checking(context, self, a1) ? CHECK_DEPTH : -1;
        }
        PendingStreams.ended(self, a0);
        return -1;
      }
      if ((rule & HANDOFF_FLAG) != 0) {
        return HandOffHooks.enter(context, rule, self, a0, a1, a2, a3, a4, a5);
      }
      if (isReentry(context, rule, self)) {
        return -1; // a default method delegating to an overload, or a super call: the outer span covers it
      }
      MethodFrame frame = context.push();
      if (frame == null) {
        return -1; // nesting deeper than the frame stack: not recorded, parent links stay correct
      }
      depth = context.depth();
      frame.childOfCurrent(context);
      frame.set(rule, self, a0, a1, a2, a3, a4, a5);
      MethodFrame outer = context.frameAt(depth - 1);
      // a read inside another memory operation (MessageWindowChatMemory.add reading the store) is
      // not what a prompt was given: only the outermost read's results are indexed as provenance
      frame.nested = outer != null && (outer.rule & (TASK_FLAG | MODEL_FLAG)) == 0;
      // a retrieval inside a hand-off on this stack is what that hand-off passes on (RetrievalAugmentor.augment
      // searching the embedding store): exact even when a store returns the same segment objects to everyone
      frame.handOffId = context.handOff.rule != 0 ? context.handOff.spanId : 0;
      context.makeCurrent(frame);
      // the start is complete before it is published: frames are reused, so a start published
      // earlier would carry the previous call's time
      frame.startNanos = System.nanoTime();
      if ((rule & TASK_FLAG) != 0) {
        Bridge.sink().publishMethodStart(frame);
      }
      if ((rule & HANDLER_FLAG) != 0) {
        // registered before the call: the handler may be told the end on another thread before it returns
        PendingStreams.started(lastArgument(frame), frame.copy());
      }
      return depth;
    } catch (Throwable t) {
      Bridge.internalError(t);
      if (depth > 0) {
        context.popTo(depth - 1); // exit gets -1 and pops nothing: never leave this frame behind
      }
      return -1;
    }
  }

  /**
   * Whether this call is the same memory operation on the same object as the call it is directly
   * inside, as when {@code similaritySearch(String)} calls {@code similaritySearch(SearchRequest)}
   * or an override calls {@code super}: one operation, one span.
   */
  private static boolean isReentry(ThreadContext context, int rule, Object self) {
    int group = rule & GROUP_MASK;
    if (group == 0 || self == null) {
      return false;
    }
    MethodFrame outer = context.frameAt(context.depth());
    return outer != null && outer.self == self && (outer.rule & GROUP_MASK) == group;
  }

  public static void exit(int depth, Object returned, Throwable thrown) {
    if (depth < 0) {
      try {
        if (depth == HandOffHooks.DEPTH) {
          HandOffHooks.exit(returned, thrown);
        } else if (depth == CHECK_DEPTH) {
          PendingStreams.checked(ThreadContext.current());
        }
      } catch (Throwable t) {
        Bridge.internalError(t);
      }
      return;
    }
    try {
      long end = System.nanoTime();
      ThreadContext context = ThreadContext.current();
      MethodFrame frame = context.frameAt(depth);
      if (frame == null) {
        return;
      }
      try {
        if ((frame.rule & HANDLER_FLAG) != 0) {
          // streams to a handler: its span ends when the handler is told, unless the call itself threw
          if (thrown != null) {
            PendingStreams.ended(lastArgument(frame), thrown);
          }
        } else if (thrown == null && returned instanceof CompletionStage) {
          MethodFrame pending = frame.copy();
          ((CompletionStage<?>) returned).whenComplete((value, error) -> complete(pending, value, error));
        } else {
          frame.end(returned, thrown, end);
          Bridge.sink().publishMethodEnd(frame);
        }
      } finally {
        context.popTo(depth - 1);
      }
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  private static Object lastArgument(MethodFrame frame) {
    for (int i = MethodFrame.MAX_ARGS - 1; i >= 0; i--) {
      if (frame.args[i] != null) {
        return frame.args[i];
      }
    }
    return null;
  }

  /**
   * Leaves a model call that returned a reactive stream ({@link #STREAM_FLAG}): returns what the call returned,
   * or, when it is a Reactor {@code Flux} or {@code Mono}, the same stream observed (see {@link StreamEnds}), so
   * that the span ends when the stream completes, fails or is cancelled. The elements and signals the
   * application sees are the stream's own.
   */
  public static Object exitStream(int depth, Object returned, Throwable thrown) {
    if (depth < 0 || thrown != null || returned == null) {
      exit(depth, returned, thrown);
      return returned;
    }
    try {
      ThreadContext context = ThreadContext.current();
      MethodFrame frame = context.frameAt(depth);
      if (frame == null) {
        return returned;
      }
      try {
        Object observed = StreamEnds.observe(returned, frame.copy());
        if (observed == null) { // not a stream memtrace knows: the span ends now
          frame.end(returned, null, System.nanoTime());
          Bridge.sink().publishMethodEnd(frame);
          return returned;
        }
        return observed;
      } finally {
        context.popTo(depth - 1);
      }
    } catch (Throwable t) {
      Bridge.internalError(t);
      return returned;
    }
  }

  /** Ends a frame whose call completed later (a stage, a stream), on whichever thread that was. */
  static void complete(MethodFrame frame, Object value, Throwable error) {
    try {
      Throwable cause = error;
      // CompletableFuture wraps failures of dependent stages; the span shows the app's own exception
      if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      frame.end(value, cause, System.nanoTime());
      Bridge.sink().publishMethodEnd(frame);
      frame.clear();
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }
}
