package io.memtrace.agent.instrumentation.lettuce.common;

import io.memtrace.agent.util.ClientCallFailures;
import io.memtrace.agent.redis.CommandDecoder;
import io.memtrace.agent.redis.RespCommand;
import java.util.List;

/**
 * Reads a Lettuce command's name and arguments on the consumer thread. Lettuce keeps arguments as
 * the application's objects (keys and values of the connection's codec) and encodes them only
 * when it writes the command; here the completed command is encoded once more, by its own
 * {@code encode}, into a heap buffer of the application's Netty, and the RESP read back
 * ({@link RespCommand}). So the words are exactly the bytes that went over the wire, whatever the
 * codec, with no knowledge of Lettuce's argument classes. A completed command is not encoded by
 * Lettuce again, so this reads nothing that is changing. The price: the codec runs a second time,
 * on memtrace's consumer thread (a codec that compresses or encrypts values does that work twice,
 * the second time off the application's threads).
 */
public final class LettuceArguments implements CommandDecoder {

  /** A buffer grown past this for one large command is given up, so it does not stay that large. */
  static final int MAX_KEPT_BUFFER = 1 << 20;

  @Override
  public List<byte[]> decode(Object command, Object arguments, List<byte[]> out) {
    out.clear();
    LettuceApi api = LettuceApi.of(command);
    if (api == null) {
      return out;
    }
    try {
      Object buffer = api.buffer;
      if (buffer == null) {
        buffer = (Object) api.newBuffer.invokeExact();
        api.buffer = buffer;
      }
      api.clear.invokeExact(buffer);
      api.encode.invokeExact(command, buffer);
      int length = (int) api.readableBytes.invokeExact(buffer);
      if ((boolean) api.hasArray.invokeExact(buffer)) { // Unpooled.buffer is a heap buffer
        byte[] bytes = (byte[]) api.array.invokeExact(buffer);
        int offset = (int) api.arrayOffset.invokeExact(buffer) + (int) api.readerIndex.invokeExact(buffer);
        if (!RespCommand.parse(bytes, offset, length, out)) {
          out.clear();
        }
      }
      if ((int) api.capacity.invokeExact(buffer) > MAX_KEPT_BUFFER) {
        api.buffer = null;
      }
    } catch (Throwable t) {
      ClientCallFailures.neutral(t, null);
      out.clear(); // a codec that fails here failed for the application too, or cannot encode twice
    }
    return out;
  }
}
