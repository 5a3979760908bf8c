package io.memtrace.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.embedded.EmbeddedReader;
import io.memtrace.collector.lineage.GeneratedStore;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Report;
import io.memtrace.collector.reader.ReportRequest;
import io.memtrace.collector.reader.Section;
import io.memtrace.collector.report.ReportRenderer;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report a running serve sends whole ({@code /api/report}) prints as the command prints one it built itself: every
 * section of a generated store's report, both layers, through the report's JSON and back, renders to the same Markdown
 * and the same JSON.
 */
class ServerReportTest {

  @TempDir
  Path dir;

  @Test
  void shouldRenderTheSectionsAServerSendsAsItsOwn() throws Exception {
    TestStores.fill(dir, GeneratedStore.generated(new Random(3), 12, 40).toArray(ExportTraceServiceRequest[]::new));
    for (Layer layer : Layer.values()) {
      List<Section> built;
      try (EmbeddedReader reader = EmbeddedReader.local(new StoreFiles(dir))) {
        Report report = reader.report(new ReportRequest(null, 6, layer, TenantRule.NONE));
        built = report.sections();
      }
      String json = ReportRenderer.json(built, "here", 0);
      List<Section> sent = ServerReport.sections(new ObjectMapper().readTree(json).path("sections"));
      assertThat(sent).extracting(Section::id).isEqualTo(built.stream().map(Section::id).toList());
      assertThat(ReportRenderer.markdown(sent, "here", null)).as(layer.name())
          .isEqualTo(ReportRenderer.markdown(built, "here", null)).contains("| key |", "By namespace: ");
      assertThat(ReportRenderer.json(sent, "here", 0)).isEqualTo(json);
    }
  }
}
