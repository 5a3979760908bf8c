package io.memtrace.collector.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memtrace.testsupport.OtlpSink;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ForwarderTest {

  private OtlpSink upstream;

  @AfterEach
  void stop() {
    if (upstream != null) {
      upstream.close();
    }
  }

  /** An upstream that holds each request until {@code gate} opens (at most 10 s), then fails the first ones. */
  private URI upstream(AtomicInteger failuresLeft, CountDownLatch gate) throws Exception {
    upstream = new OtlpSink().replying(request -> {
      gate.await(10, TimeUnit.SECONDS);
      return failuresLeft.getAndDecrement() > 0 ? OtlpSink.Reply.status(503) : OtlpSink.Reply.ok();
    });
    return URI.create(upstream.endpoint());
  }

  /** The requests the upstream took (answered 200), as they came. */
  private List<OtlpSink.Request> received() {
    return upstream.requests().stream().filter(r -> r.status == 200).toList();
  }

  @Test
  void shouldRetryWithBackOffAndDeliverTheRawBytes() throws Exception {
    URI url = upstream(new AtomicInteger(2), new CountDownLatch(0));
    try (Forwarder forwarder = new Forwarder(url, 10)) {
      forwarder.offer("/v1/traces", "application/x-protobuf", "gzip", new byte[] {1, 2, 3});
      await().atMost(Duration.ofSeconds(120)).until(() -> received().size() == 1);
      assertThat(received().get(0).body).containsExactly(1, 2, 3);
      assertThat(received()).extracting(r -> r.contentType + "|" + r.header("Content-Encoding"))
          .containsExactly("application/x-protobuf|gzip");
      assertThat(forwarder.stats().retries()).isEqualTo(2);
      assertThat(forwarder.stats().dropped()).isZero();
    }
  }

  @Test
  void shouldDropAndCountWhenTheQueueIsFullWithoutBlocking() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    URI url = upstream(new AtomicInteger(0), gate);
    try (Forwarder forwarder = new Forwarder(url, 2)) {
      int accepted = 0;
      for (int i = 0; i < 20; i++) {
        accepted += forwarder.offer("/v1/traces", "application/json", null, new byte[] {(byte) i}) ? 1 : 0;
      }
      // the upstream holds every request until the gate opens, below: offers that waited for room would all have
      // been accepted in the end, and none dropped
      assertThat(forwarder.stats().droppedQueueFull()).isEqualTo(20 - accepted);
      assertThat(accepted).isLessThanOrEqualTo(3);
      gate.countDown();
    }
  }

  @Test
  void shouldCountWhatAnUnreachableUpstreamLoses() {
    try (Forwarder forwarder = new Forwarder(URI.create("http://127.0.0.1:1"), 10)) {
      forwarder.offer("/v1/traces", "application/json", null, new byte[] {1});
      await().atMost(Duration.ofSeconds(120)).until(() -> forwarder.stats().droppedFailed() == 1);
      assertThat(forwarder.stats().sent()).isZero();
    }
  }

  @Test
  void shouldKeepForwardingAfterAPayloadTheHttpClientCannotSend() throws Exception {
    URI url = upstream(new AtomicInteger(0), new CountDownLatch(0));
    try (Forwarder forwarder = new Forwarder(url, 10)) {
      forwarder.offer("/v1/traces", "application/json", "gzip\nX-Injected: 1", new byte[] {1});
      forwarder.offer("/v1/traces", "application/json", null, new byte[] {2});

      // the upstream records a request before its answer reaches the forwarder, which counts it sent only then
      await().atMost(Duration.ofSeconds(120)).until(() -> received().size() == 1 && forwarder.stats().sent() == 1);
      assertThat(received().get(0).body).containsExactly(2);
      assertThat(forwarder.stats().droppedFailed()).isEqualTo(1);
      assertThat(forwarder.stats().droppedQueueFull()).isZero();
      assertThat(forwarder.stats().sent()).isEqualTo(1);
    }
  }
}
