package io.memtrace.bench;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A Lettuce 6 connection that never touches the network, the Lettuce counterpart of
 * {@link FakeRedisSocket}: Lettuce's own {@code StatefulRedisConnectionImpl} and
 * {@code DefaultEndpoint}, whose channel is a Netty {@link EmbeddedChannel} (its event loop is the
 * calling thread). A handler in that channel answers every command as it is written: a
 * {@code GET} with the value {@code hello}, anything else with {@code OK}, completing the command
 * there, where Lettuce's {@code CommandHandler} would after reading the reply. So a sync call
 * returns at memory speed, and everything Lettuce and an agent do between the API and the channel,
 * and at completion, runs on the calling thread; what is missing is RESP encoding and decoding
 * (the handler stores the decoded reply straight into the command's output) and the network.
 */
final class FakeLettuceConnection {

  /** The address the channel says it is connected to, which memtrace's consumer reads. */
  private static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 6379);
  private static final byte[] VALUE = "hello".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OK = "OK".getBytes(StandardCharsets.US_ASCII);

  private FakeLettuceConnection() {
  }

  /** A connection on {@code resources} whose commands are answered in memory. */
  static StatefulRedisConnection<String, String> open(ClientResources resources) {
    ClientOptions options = ClientOptions.create();
    DefaultEndpoint endpoint = new DefaultEndpoint(options, resources);
    StatefulRedisConnectionImpl<String, String> connection =
        new StatefulRedisConnectionImpl<>(endpoint, endpoint, StringCodec.UTF8, Duration.ofSeconds(5));
    connection.setOptions(options); // as RedisClient does; the sync API reads its timeout options
    endpoint.setConnectionFacade(connection);
    endpoint.notifyChannelActive(new Channel());
    return connection;
  }

  /** An embedded channel that says it is connected to a Redis on loopback. */
  private static final class Channel extends EmbeddedChannel {
    Channel() {
      super(new Answering());
    }

    @Override
    protected SocketAddress remoteAddress0() {
      return REMOTE;
    }
  }

  /** Answers each written command at once, in place of Redis and Lettuce's reply decoding. */
  private static final class Answering extends ChannelOutboundHandlerAdapter {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      RedisCommand<?, ?, ?> command = (RedisCommand<?, ?, ?>) msg;
      command.getOutput().set(ByteBuffer.wrap(command.getType() == CommandType.GET ? VALUE : OK));
      command.complete();
      promise.trySuccess();
    }
  }
}
