package io.memtrace.agent.instrumentation.method;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.config.MethodRule;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A retrieve rule without {@code found} tells a miss from an empty Optional or a null result. */
class ImpliedFoundTest {

  /** Retrieves of every result shape. */
  public static class Lookups {
    public String nullable(String key) {
      return null;
    }

    public Optional<String> optional(String key) {
      return Optional.empty();
    }

    public CompletableFuture<String> future(String key) {
      return null;
    }

    @SuppressWarnings("rawtypes")
    public CompletionStage raw(String key) {
      return null;
    }

    public List<String> list(String key) {
      return List.of();
    }

    public boolean flag(String key) {
      return false;
    }

    public void none(String key) {
    }

    public CompletableFuture<Void> done(String key) {
      return null;
    }
  }

  private static MethodRule rule(String operation, String found) {
    return Rules.of(
        "memory-managers:",
        "  - type: " + Lookups.class.getName(),
        "    methods: [{ name: '*', operation: " + operation + (found == null ? "" : ", found: '" + found + "'") + " }]")
        .get(0);
  }

  private static boolean implied(MethodRule rule, String method) {
    return MethodInstrumentation.impliesFound(rule, ExpressionFixtures.method(Lookups.class, method));
  }

  @ParameterizedTest
  @ValueSource(strings = {"nullable", "optional", "future", "raw", "list"})
  void shouldImplyFoundForARetrieveWithAReferenceResult(String method) {
    assertThat(implied(rule("retrieve", null), method)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"flag", "none", "done"})
  void shouldNotImplyFoundWhenTheResultCannotTellAMiss(String method) {
    assertThat(implied(rule("retrieve", null), method)).isFalse();
  }

  @Test
  void shouldKeepTheRulesOwnFound() {
    assertThat(implied(rule("retrieve", "return.present"), "optional")).isFalse();
  }

  @Test
  void shouldImplyFoundOnlyForRetrieves() {
    assertThat(implied(rule("search", null), "optional")).isFalse();
    assertThat(implied(rule("store", null), "nullable")).isFalse();
  }

  @Test
  void shouldTellAMissFromAnEmptyOptionalOrNullOnceCompiled() throws Exception {
    CompiledExpression found = compiledFound("optional");

    assertThat(found.evaluate(null, new Object[1], Optional.empty())).isEqualTo(false);
    assertThat(found.evaluate(null, new Object[1], Optional.of("v"))).isEqualTo(true);
    assertThat(compiledFound("nullable").evaluate(null, new Object[1], null)).isEqualTo(false);
    assertThat(compiledFound("nullable").evaluate(null, new Object[1], "v")).isEqualTo(true);
  }

  private static CompiledExpression compiledFound(String method) {
    CompiledRule compiled = MethodInstrumentation.compile(rule("retrieve", null),
        TypeDescription.ForLoadedType.of(Lookups.class), ExpressionFixtures.method(Lookups.class, method));
    return compiled.attributes().get("memory.found");
  }
}
