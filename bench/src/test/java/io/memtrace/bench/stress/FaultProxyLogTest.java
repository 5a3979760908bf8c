package io.memtrace.bench.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.bench.stress.FaultProxy.Request;
import org.junit.jupiter.api.Test;

/** The log's arithmetic on hand-made requests: which answers count as retried, and the gaps. */
class FaultProxyLogTest {

  private static Request request(long received, long answered, long crc, int length, int status) {
    return new Request(received, answered, "/v1/traces", crc, length, status);
  }

  @Test
  void shouldPairEachFailedAnswerWithTheNextArrivalOfTheSameBody() {
    FaultLog log = new FaultLog();
    log.add(request(1_000, 1_010, 7, 100, 503));
    log.add(request(1_005, 1_006, 8, 100, 200)); // same length, other CRC: another body
    log.add(request(2_010, 2_020, 7, 100, 429));
    log.add(request(2_500, 2_501, 7, 99, 200));  // same CRC, other length: another body
    log.add(request(4_020, 4_030, 7, 100, 200));

    assertThat(log.retryGaps(0, 10_000)).containsExactly(1_000L, 2_000L);
    assertThat(log.retriesOf(503, 0, 10_000)).isEqualTo(1);
    assertThat(log.retriesOf(200, 0, 10_000)).isZero();
    assertThat(log.retryGaps(2_000, 10_000)).containsExactly(2_000L); // by arrival of the failed one
  }

  @Test
  void shouldPairByArrivalEvenWhenLoggedInAnswerOrder() {
    FaultLog log = new FaultLog();
    log.add(request(3_000, 3_001, 5, 10, 200)); // the retry, answered before a slow first attempt
    log.add(request(1_000, 2_000, 5, 10, 503));

    assertThat(log.retryGaps(0, 10_000)).containsExactly(1_000L);
  }

  @Test
  void shouldCountDroppedRequestsRetriedAndIgnoreEmptyBodies() {
    FaultLog log = new FaultLog();
    log.add(request(1_000, 1_000, 5, 10, -1));
    log.add(request(1_500, 1_600, 5, 10, 200));
    log.add(request(2_000, 2_001, 0, 0, 503));
    log.add(request(2_100, 2_101, 0, 0, 200));

    assertThat(log.retriesOf(-1, 0, 10_000)).isEqualTo(1);
    assertThat(log.retriesOf(503, 0, 10_000)).isZero();
    assertThat(log.retryGaps(0, 10_000)).isEmpty();
  }

  @Test
  void shouldRateRequestsByPathOverTheWindowAndRejectAnEmptyWindow() {
    FaultLog log = new FaultLog();
    for (int i = 0; i < 6; i++) {
      log.add(new Request(1_000 + i * 100, 0, i % 3 == 0 ? "/v1/metrics" : "/v1/traces", i, 1, 200));
    }

    assertThat(log.perSecond("/v1/traces", 1_000, 3_000)).isEqualTo(2.0);
    assertThat(log.perSecond(null, 1_000, 1_300)).isEqualTo(10.0);
    assertThatThrownBy(() -> log.perSecond(null, 5, 5)).isInstanceOf(IllegalArgumentException.class);
  }
}
