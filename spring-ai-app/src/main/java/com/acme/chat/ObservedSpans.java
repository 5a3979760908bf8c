package com.acme.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.observation.ChatModelObservationContext;

/**
 * Spring AI's own observations made OpenTelemetry spans, as an application that traces with Micrometer Tracing's
 * OpenTelemetry bridge has them: an {@link ObservationRegistry} with a tracing handler over an SDK of the app's
 * own, which counts the model-call spans ({@code chat ...}) it ends instead of exporting them. With a file
 * ({@code --assistant.observed-spans=FILE}), it writes each one there as a JSON line: its ids, its last user message
 * (tagged by an observation filter as {@code app.user}), its {@code memtrace.*} attributes and links.
 */
final class ObservedSpans {

  private static final AttributeKey<String> USER = AttributeKey.stringKey("app.user");
  private final AtomicInteger modelSpans = new AtomicInteger();
  private final ObservationRegistry registry = ObservationRegistry.create();
  private final ObjectMapper json = new ObjectMapper();
  private final Writer out;

  ObservedSpans(Path file) {
    try {
      this.out = file == null ? null : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(new SpanProcessor() {
      @Override
      public void onStart(Context parentContext, ReadWriteSpan span) {
      }

      @Override
      public boolean isStartRequired() {
        return false;
      }

      @Override
      public void onEnd(ReadableSpan span) {
        if (span.getName().startsWith("chat ")) {
          modelSpans.incrementAndGet();
          write(span.toSpanData());
        }
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }
    }).build();
    OtelTracer tracer = new OtelTracer(provider.get("assistant"), new OtelCurrentTraceContext(), event -> { });
    registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer))
        .observationFilter(context -> {
          if (out != null && context instanceof ChatModelObservationContext chat) {
            context.addHighCardinalityKeyValue(KeyValue.of(USER.getKey(), lastUserText(chat.getRequest().getInstructions())));
          }
          return context;
        });
  }

  private static String lastUserText(List<Message> messages) {
    String text = "";
    for (Message m : messages) {
      if (m.getMessageType() == MessageType.USER && m.getText() != null) {
        text = m.getText();
      }
    }
    return text;
  }

  private void write(SpanData span) {
    if (out == null) {
      return;
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("trace_id", span.getTraceId());
    line.put("span_id", span.getSpanId());
    line.put("name", span.getName());
    line.put("user", span.getAttributes().get(USER));
    Map<String, Object> memtrace = new LinkedHashMap<>();
    span.getAttributes().forEach((k, v) -> {
      if (k.getKey().startsWith("memtrace.")) {
        memtrace.put(k.getKey(), v);
      }
    });
    line.put("attributes", memtrace);
    List<Map<String, Object>> links = new ArrayList<>();
    for (LinkData link : span.getLinks()) {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("trace_id", link.getSpanContext().getTraceId());
      l.put("span_id", link.getSpanContext().getSpanId());
      Map<String, Object> attrs = new LinkedHashMap<>();
      link.getAttributes().forEach((k, v) -> attrs.put(k.getKey(), v));
      l.put("attributes", attrs);
      links.add(l);
    }
    line.put("links", links);
    try {
      synchronized (out) {
        out.write(json.writeValueAsString(line));
        out.write('\n');
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ObservationRegistry registry() {
    return registry;
  }

  int modelSpans() {
    return modelSpans.get();
  }
}
