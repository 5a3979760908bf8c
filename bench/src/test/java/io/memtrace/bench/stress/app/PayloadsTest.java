package io.memtrace.bench.stress.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The stored values are what the verification compares against, byte for byte. */
class PayloadsTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void shouldPredictTheJsonTheMemoryManagerWritesForADocument() throws Exception {
    String written = json.writeValueAsString(Payloads.doc("stress-t3-doc-17", 12_345, "stress-t3"));

    assertThat(Payloads.docJson("stress-t3-doc-17", 12_345, "stress-t3")).isEqualTo(written);
    assertThat(written.length()).isBetween(180, 240);
  }

  @Test
  void shouldMakeEmbeddingsOf4To16KbThatAreJsonArrays() throws Exception {
    Payloads payloads = new Payloads(7);
    for (int i = 0; i < payloads.size(); i++) {
      String embedding = payloads.embedding(i);
      JsonNode array = json.readTree(embedding);

      assertThat(array.isArray()).isTrue();
      assertThat(array.get(0).isNumber()).isTrue();
      assertThat(payloads.embeddingBytes(i)).isEqualTo(embedding.getBytes(StandardCharsets.UTF_8).length)
          .isBetween(4 * 1024, 16 * 1024);
      assertThat(payloads.storedEmbedding(i)).isEqualTo(json.writeValueAsString(embedding));
      assertThat(payloads.note(i)).contains("memory").hasSizeBetween(4 * 1024, 16 * 1024);
    }
  }

  @Test
  void shouldMakeTheSamePayloadsFromTheSameSeed() {
    assertThat(new Payloads(3).embedding(5)).isEqualTo(new Payloads(3).embedding(5));
    assertThat(new Payloads(3).embedding(5)).isNotEqualTo(new Payloads(4).embedding(5));
  }

  @Test
  void shouldMakeALargeValueOfExactlyTheBytesAsked() {
    assertThat(Payloads.large(1024 * 1024 - 1024).getBytes(StandardCharsets.UTF_8)).hasSize(1024 * 1024 - 1024);
  }
}
