package io.memtrace.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The batch size rule on its own: grow while behind, within a bound, and come back. */
class BatchSizerTest {

  @Test
  void shouldDoubleUpToEightTimesTheConfiguredSizeWhileTheExporterIsBusy() {
    BatchSizer sizer = new BatchSizer(512);
    assertThat(sizer.limit()).isEqualTo(512);

    assertThat(sizer.growWhileExporterBusy()).isTrue();
    assertThat(sizer.limit()).isEqualTo(1024);
    assertThat(sizer.growWhileExporterBusy()).isTrue();
    assertThat(sizer.growWhileExporterBusy()).isTrue();
    assertThat(sizer.limit()).isEqualTo(4096);
    assertThat(sizer.growWhileExporterBusy()).as("at its cap it is held instead").isFalse();
    assertThat(sizer.limit()).isEqualTo(4096).isEqualTo(sizer.cap());
  }

  @Test
  void shouldNeverGrowPastTheSettingsCeiling() {
    assertThat(new BatchSizer(4096).cap()).isEqualTo(BatchSizer.MAX_RECORDS);
    assertThat(new BatchSizer(8192).cap()).isEqualTo(8192);
    BatchSizer largest = new BatchSizer(8192);
    assertThat(largest.growWhileExporterBusy()).isFalse();
  }

  @Test
  void shouldGrowWhileABatchOrMoreIsWaitingAndShrinkOnceUnderHalfWithRoom() {
    BatchSizer sizer = new BatchSizer(100);
    sizer.exported(100, false);
    assertThat(sizer.limit()).isEqualTo(200);
    sizer.exported(150, false);
    assertThat(sizer.limit()).as("between half and one batch waiting: unchanged").isEqualTo(200);
    sizer.exported(10, true);
    assertThat(sizer.limit()).as("the exporter is still at its limit: keep the size").isEqualTo(200);
    sizer.exported(10, false);
    assertThat(sizer.limit()).isEqualTo(100);
    sizer.exported(0, false);
    assertThat(sizer.limit()).as("never under the configured size").isEqualTo(100);
  }
}
