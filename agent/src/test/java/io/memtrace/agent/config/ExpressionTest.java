package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.agent.bootstrap.MethodFrame;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionTest {

  @Test
  void shouldParseThisRootWithoutPath() {
    Expression e = Expression.parse("this");

    assertThat(e.root()).isEqualTo(Expression.Root.THIS);
    assertThat(e.argIndex()).isEqualTo(-1);
    assertThat(e.path()).isEmpty();
    assertThat(e.notNullTest()).isFalse();
    assertThat(e.text()).isEqualTo("this");
  }

  @Test
  void shouldParseReturnRoot() {
    Expression e = Expression.parse("return");

    assertThat(e.root()).isEqualTo(Expression.Root.RETURN);
    assertThat(e.argIndex()).isEqualTo(-1);
    assertThat(e.path()).isEmpty();
  }

  @Test
  void shouldParseEveryArgumentIndexUpToMaxArgs() {
    for (int i = 0; i < MethodFrame.MAX_ARGS; i++) {
      Expression e = Expression.parse("arg" + i);

      assertThat(e.root()).isEqualTo(Expression.Root.ARG);
      assertThat(e.argIndex()).isEqualTo(i);
    }
  }

  @Test
  void shouldParseDottedPathInOrder() {
    Expression e = Expression.parse("arg1.request.session.tenantId");

    assertThat(e.root()).isEqualTo(Expression.Root.ARG);
    assertThat(e.argIndex()).isEqualTo(1);
    assertThat(e.path()).containsExactly("request", "session", "tenantId");
  }

  @Test
  void shouldAcceptMapKeysWithDashesAndDollarAndUnderscore() {
    Expression e = Expression.parse("this.meta.agent-id.$inner._x9");

    assertThat(e.path()).containsExactly("meta", "agent-id", "$inner", "_x9");
  }

  @Test
  void shouldReturnImmutablePath() {
    Expression e = Expression.parse("this.a");

    assertThatThrownBy(() -> e.path().add("b")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void shouldParseNotNullTestWithAndWithoutSpaces() {
    Expression spaced = Expression.parse("return.items != null");
    Expression tight = Expression.parse("return.items!=null");

    assertThat(spaced.notNullTest()).isTrue();
    assertThat(spaced.root()).isEqualTo(Expression.Root.RETURN);
    assertThat(spaced.path()).containsExactly("items");
    assertThat(tight.notNullTest()).isTrue();
    assertThat(tight.path()).containsExactly("items");
  }

  @Test
  void shouldParseNotNullTestOnBareRoot() {
    Expression e = Expression.parse("return != null");

    assertThat(e.root()).isEqualTo(Expression.Root.RETURN);
    assertThat(e.path()).isEmpty();
    assertThat(e.notNullTest()).isTrue();
  }

  @Test
  void shouldTrimSurroundingWhitespaceAndKeepTrimmedText() {
    Expression e = Expression.parse("  arg0.id != null  ");

    assertThat(e.text()).isEqualTo("arg0.id != null");
    assertThat(e.toString()).isEqualTo("arg0.id != null");
    assertThat(e.path()).containsExactly("id");
  }

  /** An expression the parser refuses, and what it says. */
  private static Arguments refused(String text, String message) {
    return Arguments.of(text, message);
  }

  static Stream<Arguments> refusedWithTheirMessages() {
    return Stream.of(
        refused("return == null", "only '!= null' can be tested; write the path alone for its value, or"
            + " 'return != null' for whether it is there"),
        refused("foo.bar", "must start with this, argN or return, not 'foo'"),
        // an argument beyond the last captured, however far, and too large for an int
        refused("arg6", "can read arg0 to arg5, not arg6"),
        refused("arg42.id", "can read arg0 to arg5, not arg42"),
        refused("arg99999999999", "can read arg0 to arg5, not arg99999999999"),
        // an empty segment between dots, and a trailing dot
        refused("arg0..x", "has an invalid path element ''"),
        refused("this.name.", "has an invalid path element ''"),
        refused("arg0 != 5", "only '!= null' can follow a path, not '!= 5'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedWithTheirMessages")
  void shouldRejectAndSayWhy(String text, String message) {
    assertThatThrownBy(() -> Expression.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "!= null", " != null"})
  void shouldRejectEmptyExpression(String text) {
    assertThatThrownBy(() -> Expression.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("is empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"This.x", "self", "args0", "arg", "argX", "arg-1", "result"})
  void shouldRejectRootThatIsNotThisArgOrReturn(String text) {
    assertThatThrownBy(() -> Expression.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("must start with this, argN or return");
  }

  @ParameterizedTest
  @ValueSource(strings = {"this.1st", "this.a b", "this.items[0]", "this.get()", "this.a+b"})
  void shouldRejectSegmentThatIsNotAName(String text) {
    assertThatThrownBy(() -> Expression.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("has an invalid path element '");
  }

  @Test
  void shouldRejectChainedNotNullTests() {
    assertThatThrownBy(() -> Expression.parse("arg0 != null != null"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("only '!= null' can follow a path");
  }

  @ParameterizedTest
  @ValueSource(strings = {"this", "this.name", "return", "return != null", "return!=null", "arg0",
      "arg5.id", "  arg3  ", "arg12", "this\tname"})
  void shouldRecognizeTextStartingWithARootAsExpression(String text) {
    assertThat(Expression.looksLikeExpression(text)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "cache", "long-term", "thisisconstant", "returned", "arguments", "argX",
      "arg", "foo.bar", "v1.2", "null", "x != null"})
  void shouldTreatTextWithoutARootAsConstant(String text) {
    assertThat(Expression.looksLikeExpression(text)).isFalse();
  }
}
