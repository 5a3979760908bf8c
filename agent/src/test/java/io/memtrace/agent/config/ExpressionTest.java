package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.agent.bootstrap.MethodFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "!= null", " != null"})
  void shouldRejectEmptyExpression(String text) {
    assertThatThrownBy(() -> Expression.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("is empty");
  }

  @Test
  void shouldSayOnlyNotNullCanBeTested() {
    assertThatThrownBy(() -> Expression.parse("return == null"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("only '!= null' can be tested; write the path alone for its value, or 'return != null' for"
            + " whether it is there");
  }

  @Test
  void shouldRejectUnknownRootNamingIt() {
    assertThatThrownBy(() -> Expression.parse("foo.bar"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("must start with this, argN or return, not 'foo'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"This.x", "self", "args0", "arg", "argX", "arg-1", "result"})
  void shouldRejectRootThatIsNotThisArgOrReturn(String text) {
    assertThatThrownBy(() -> Expression.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("must start with this, argN or return");
  }

  @Test
  void shouldRejectArgumentBeyondMaxArgs() {
    assertThatThrownBy(() -> Expression.parse("arg6"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("can read arg0 to arg5, not arg6");
  }

  @Test
  void shouldRejectFarArgumentIndexWithSameMessage() {
    assertThatThrownBy(() -> Expression.parse("arg42.id"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("can read arg0 to arg5, not arg42");
  }

  @Test
  void shouldRejectArgumentIndexTooLargeForIntWithMaxArgsMessage() {
    assertThatThrownBy(() -> Expression.parse("arg99999999999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("can read arg0 to arg5, not arg99999999999");
  }

  @Test
  void shouldRejectEmptySegmentBetweenDots() {
    assertThatThrownBy(() -> Expression.parse("arg0..x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("has an invalid path element ''");
  }

  @Test
  void shouldRejectTrailingDot() {
    assertThatThrownBy(() -> Expression.parse("this.name."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("has an invalid path element ''");
  }

  @ParameterizedTest
  @ValueSource(strings = {"this.1st", "this.a b", "this.items[0]", "this.get()", "this.a+b"})
  void shouldRejectSegmentThatIsNotAName(String text) {
    assertThatThrownBy(() -> Expression.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("has an invalid path element '");
  }

  @Test
  void shouldRejectComparisonWithAnythingButNull() {
    assertThatThrownBy(() -> Expression.parse("arg0 != 5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("only '!= null' can follow a path, not '!= 5'");
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
