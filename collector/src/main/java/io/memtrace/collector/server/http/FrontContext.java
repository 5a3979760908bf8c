package io.memtrace.collector.server.http;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A route of the {@link HttpFront} as the JDK's {@link HttpContext}; filters and authenticators are not used. */
final class FrontContext extends HttpContext {

  private final String path;
  private HttpHandler handler;
  private final Map<String, Object> attributes = new HashMap<>();
  private final List<Filter> filters = new ArrayList<>();

  FrontContext(String path, HttpHandler handler) {
    this.path = path;
    this.handler = handler;
  }

  @Override
  public HttpHandler getHandler() {
    return handler;
  }

  @Override
  public void setHandler(HttpHandler handler) {
    this.handler = handler;
  }

  @Override
  public String getPath() {
    return path;
  }

  @Override
  public HttpServer getServer() {
    return null;
  }

  @Override
  public Map<String, Object> getAttributes() {
    return attributes;
  }

  @Override
  public List<Filter> getFilters() {
    return filters;
  }

  @Override
  public Authenticator setAuthenticator(Authenticator auth) {
    throw new UnsupportedOperationException("the front has no authenticators; wrap the handler");
  }

  @Override
  public Authenticator getAuthenticator() {
    return null;
  }
}
