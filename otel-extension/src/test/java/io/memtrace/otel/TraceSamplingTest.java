package io.memtrace.otel;

import static io.memtrace.otel.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceSamplingTest {

  private static final String TRACE_A = "0af7651916cd43dd8448eb211c80319c";
  private static final String TRACE_B = "4bf92f3577b34da6a3ce929d0e0e4736";

  /** Samples every other trace it is asked about, and remembers what it was asked. */
  private static final class Alternating implements Sampler {
    final List<String> asked = new ArrayList<>();

    @Override
    public SamplingResult shouldSample(Context parent, String traceId, String name, SpanKind kind,
        Attributes attributes, List<LinkData> links) {
      asked.add(traceId + " " + name + " root=" + (parent == Context.root()));
      return asked.size() % 2 == 1 ? SamplingResult.recordAndSample() : SamplingResult.drop();
    }

    @Override
    public String getDescription() {
      return "alternating";
    }
  }

  @Test
  void shouldAskTheSamplerOncePerTraceAsForARootAndKeepOrDropTheWholeTrace() {
    Alternating sampler = new Alternating();
    TraceSampling sampling = new TraceSampling(sampler, new JoinedTraces());

    List<String> first = names(sampling, span("GET", TRACE_A, "00f067aa0ba902b7", true),
        span("SET", TRACE_B, "00f067aa0ba902b8", true));
    List<String> second = names(sampling, span("memory.retrieve", TRACE_A, "00f067aa0ba902b9", true),
        span("memory.store", TRACE_B, "00f067aa0ba902ba", true));

    assertThat(sampler.asked).containsExactly(TRACE_A + " GET root=true", TRACE_B + " SET root=true");
    assertThat(first).containsExactly("GET");
    assertThat(second).containsExactly("memory.retrieve");
  }

  @Test
  void shouldDropSpansWhoseContextIsNotSampledWithoutAskingTheSampler() {
    Alternating sampler = new Alternating();
    TraceSampling sampling = new TraceSampling(sampler, new JoinedTraces());

    assertThat(names(sampling, span("GET", TRACE_A, "00f067aa0ba902b7", false))).isEmpty();
    assertThat(sampler.asked).isEmpty();
  }

  @Test
  void shouldKeepEverySpanUnderTheDefaultSampler() {
    TraceSampling sampling = new TraceSampling(Sampler.parentBased(Sampler.alwaysOn()), new JoinedTraces());

    assertThat(names(sampling, span("GET", TRACE_A, "00f067aa0ba902b7", true),
        span("SET", TRACE_B, "00f067aa0ba902b8", true))).containsExactly("GET", "SET");
  }

  @Test
  void shouldFollowTheJoinedOpenTelemetrySpansDecisionWithoutAskingTheSampler() {
    Alternating sampler = new Alternating();
    JoinedTraces joined = new JoinedTraces();
    joined.note(Long.parseUnsignedLong(TRACE_A.substring(16), 16), false);
    joined.note(Long.parseUnsignedLong(TRACE_B.substring(16), 16), true);
    TraceSampling sampling = new TraceSampling(Sampler.alwaysOff(), joined);

    assertThat(names(sampling, span("GET", TRACE_A, "00f067aa0ba902b7", true),
        span("SET", TRACE_B, "00f067aa0ba902b8", true))).containsExactly("SET");
  }

  @Test
  void shouldForgetAJoinedTraceWhoseSlotAnotherTookAndAskTheSampler() {
    JoinedTraces joined = new JoinedTraces();
    long low = Long.parseUnsignedLong(TRACE_A.substring(16), 16);
    joined.note(low, true);
    joined.note(low + JoinedTraces.SLOTS, true); // same slot, another trace

    assertThat(joined.of(low)).isEqualTo(JoinedTraces.Joined.UNKNOWN);
    assertThat(joined.of(low + JoinedTraces.SLOTS)).isEqualTo(JoinedTraces.Joined.SAMPLED);
  }

  private static List<String> names(TraceSampling sampling, io.opentelemetry.sdk.trace.data.SpanData... spans) {
    List<String> names = new ArrayList<>();
    sampling.sampled(Arrays.asList(spans)).forEach(s -> names.add(s.getName()));
    return names;
  }
}
