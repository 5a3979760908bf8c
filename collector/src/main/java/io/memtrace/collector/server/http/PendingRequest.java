package io.memtrace.collector.server.http;

/** A request whose head has arrived: where it goes, and its body as it comes in. */
final class PendingRequest {

  private final RequestHead head;
  private final Routes.Route route;
  private final RequestBody body;
  private boolean dispatched;

  private PendingRequest(RequestHead head, Routes.Route route, RequestBody body) {
    this.head = head;
    this.route = route;
    this.body = body;
  }

  /** Finds the route and reserves the body's memory; a 404 or a 503 when either is not to be had. */
  static PendingRequest start(RequestHead head, NioFront front) throws HttpProblem {
    Routes.Route route = front.route(head.uri.getRawPath());
    if (route == null) {
      throw new HttpProblem(404, "no such path: " + head.uri.getRawPath());
    }
    if (!head.chunked && head.contentLength > route.maxBody()) {
      // refused before a byte of it is read: the client learns at once, and no memory is held for it
      throw new HttpProblem(413, "request body of " + head.contentLength + " bytes exceeds the limit of "
          + route.maxBody() + " bytes");
    }
    RequestBody body = RequestBody.reserve(head, route.maxBody(), front.budget());
    if (body == null) {
      throw new HttpProblem(503, "the collector holds too many request bodies at once; retry");
    }
    return new PendingRequest(head, route, body);
  }

  /** Whether the client waits for a 100 Continue before it sends the body. */
  boolean waitsToContinue(InputBuffer in) {
    return head.expectContinue && in.isEmpty() && !body.complete();
  }

  /** Takes the body bytes received so far; true once the body is complete. */
  boolean receive(InputBuffer in) throws HttpProblem {
    in.drainInto(body);
    return body.complete();
  }

  /** Hands the request to its route's lane; false when the lane is full. */
  boolean dispatch(FrontConnection connection) {
    dispatched = Routes.submit(route, new FrontExchange(connection, head, body, route.context()));
    return dispatched;
  }

  /** Gives the body's memory back, unless a handler holds it (its exchange gives it back then). */
  void abandon() {
    if (!dispatched) {
      body.release();
    }
  }

  /** The answer is out: the body's memory is free for certain. */
  void finished() {
    body.release();
  }
}
