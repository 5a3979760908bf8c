package io.memtrace.agent.export;

import java.io.IOException;

/**
 * Posts request bodies to one endpoint over one connection at a time. Each sender lane
 * ({@link SenderLanes}) owns one and is the only thread that uses it.
 */
interface HttpPoster extends AutoCloseable {

  /**
   * Posts {@code body[0..length)} and returns the answer.
   *
   * @throws HttpAnswer.Malformed when the endpoint answered something that cannot be followed (the
   *     request may have been taken: it must not be sent again)
   * @throws IOException when the endpoint could not be reached or did not answer in time
   */
  HttpAnswer post(byte[] body, int length) throws IOException, InterruptedException;

  /** Closes the connection, if one is open; the next post opens a new one. */
  @Override
  void close();
}
