package io.memtrace.collector.server.http;

import java.io.IOException;
import java.net.InetSocketAddress;

class NettyFrontTest extends HttpFrontTest {

  @Override
  HttpFront open(InetSocketAddress address, FrontLimits limits) throws IOException {
    return new NettyFront(address, limits);
  }
}
