package io.memtrace.collector.server.http;

import java.io.IOException;
import java.net.InetSocketAddress;

class NioFrontTest extends HttpFrontTest {

  @Override
  HttpFront open(InetSocketAddress address, FrontLimits limits) throws IOException {
    return new NioFront(address, limits);
  }
}
