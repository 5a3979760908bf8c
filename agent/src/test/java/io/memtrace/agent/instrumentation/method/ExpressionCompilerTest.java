package io.memtrace.agent.instrumentation.method;

import static io.memtrace.agent.instrumentation.method.ExpressionFixtures.compile;
import static io.memtrace.agent.instrumentation.method.ExpressionFixtures.method;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.agent.config.Expression;
import io.memtrace.agent.instrumentation.method.ExpressionFixtures.Handle;
import io.memtrace.agent.instrumentation.method.ExpressionFixtures.Identified;
import io.memtrace.agent.instrumentation.method.ExpressionFixtures.Note;
import io.memtrace.agent.instrumentation.method.ExpressionFixtures.TenantStore;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionCompilerTest {

  private static void assertAccepted(String text, String storeMethod) {
    CompiledExpression compiled = compile(text, storeMethod);

    assertThat(compiled.text()).isEqualTo(text);
  }

  private static void assertRejected(ThrowingCallable compile, String message) {
    assertThatThrownBy(compile).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Nested
  class Roots {

    @Test
    void shouldRejectThisOnStaticMethod() {
      assertRejected(() -> compile("this", "flush"), "uses 'this' but flush is static");
    }

    @Test
    void shouldRejectThisPathOnStaticMethod() {
      assertRejected(() -> compile("this.tenant", "flush"), "uses 'this' but flush is static");
    }

    @Test
    void shouldRejectReturnOnVoidMethod() {
      assertRejected(() -> compile("return", "put"), "uses 'return' but put returns void");
    }

    @Test
    void shouldRejectReturnNotNullTestOnVoidMethod() {
      assertRejected(() -> compile("return != null", "put"), "uses 'return' but put returns void");
    }

    @Test
    void shouldRejectArgumentBeyondParameterCountInPlural() {
      assertRejected(() -> compile("arg2", "put"), "uses arg2 but put takes 2 arguments");
    }

    @Test
    void shouldRejectArgumentBeyondParameterCountInSingular() {
      assertRejected(() -> compile("arg1.length", "text"), "uses arg1 but text takes 1 argument");
    }

    @Test
    void shouldRejectAnyArgumentOfNoArgMethod() {
      assertRejected(() -> compile("arg0", "count"), "uses arg0 but count takes 0 arguments");
    }

    @Test
    void shouldAcceptEveryArgumentOfSixArgumentMethod() {
      for (int i = 0; i < 6; i++) {
        assertAccepted("arg" + i, "six");
      }
    }

    @Test
    void shouldAcceptBareRootsOnInstanceMethodWithResult() {
      assertAccepted("this", "get");
      assertAccepted("return", "get");
      assertAccepted("return != null", "get");
      assertAccepted("arg0", "get");
    }

    @Test
    void shouldAcceptReturnOfPrimitiveResult() {
      assertAccepted("return", "count");
    }
  }

  @Nested
  class ConcreteTypes {

    @Test
    void shouldAcceptPrivateField() {
      assertAccepted("arg1.text", "put");
    }

    @Test
    void shouldAcceptPrivateFieldOfSuperclassThroughThis() {
      CompiledExpression compiled = ExpressionCompiler.compile(Expression.parse("this.tenant"),
          method(TenantStore.class, "clear"));

      assertThat(compiled.text()).isEqualTo("this.tenant");
    }

    @Test
    void shouldAcceptGetterByPropertyName() {
      assertAccepted("arg1.name", "put");
    }

    @Test
    void shouldAcceptBooleanIsGetterByPropertyName() {
      assertAccepted("arg1.pinned", "put");
    }

    @Test
    void shouldAcceptNoArgMethodByItsName() {
      assertAccepted("arg1.summary", "put");
      assertAccepted("arg1.id", "put");
    }

    @Test
    void shouldAcceptNestedPathCheckingEachStep() {
      assertAccepted("arg1.parent.parent.text", "put");
      assertAccepted("return.parent.name != null", "get");
    }

    @Test
    void shouldRejectUnknownMemberNamingTypeAndMember() {
      assertRejected(() -> compile("arg1.colour", "put"),
          Note.class.getName() + " has no field, getter or record component 'colour'");
    }

    @Test
    void shouldRejectUnknownMemberDeepInPathNamingTheTypeWhereItIsMissing() {
      assertRejected(() -> compile("return.parent.colour", "get"),
          Note.class.getName() + " has no field, getter or record component 'colour'");
    }

    @Test
    void shouldRejectUnknownMemberOfString() {
      assertRejected(() -> compile("arg0.colour", "put"),
          "java.lang.String has no field, getter or record component 'colour'");
    }

    @Test
    void shouldRejectMemberOfPrimitiveResult() {
      assertRejected(() -> compile("return.size", "count"),
          "int has no field, getter or record component 'size'");
    }

    @Test
    void shouldRejectUnknownMemberOfThis() {
      assertRejected(() -> compile("this.colour", "put"),
          ExpressionFixtures.Store.class.getName() + " has no field, getter or record component 'colour'");
    }

    @Test
    void shouldAcceptPublicMethodOfJdkType() {
      assertAccepted("arg0.empty", "text");
      assertAccepted("arg0.bytes", "text");
    }

    @Test
    void shouldRejectVoidMethodInheritedFromInterface() {
      assertRejected(() -> compile("arg0.close", "release"),
          Handle.class.getName() + " has no field, getter or record component 'close'");
    }
  }

  @Nested
  class SizesAndLengths {

    @ParameterizedTest
    @ValueSource(strings = {"arg0.size", "arg0.length"})
    void shouldAcceptSizeOrLengthOfCollection(String text) {
      assertAccepted(text, "tags");
    }

    @ParameterizedTest
    @ValueSource(strings = {"arg0.size", "arg0.length"})
    void shouldAcceptSizeOrLengthOfArray(String text) {
      assertAccepted(text, "all");
    }

    @ParameterizedTest
    @ValueSource(strings = {"arg0.size", "arg0.length"})
    void shouldAcceptSizeOrLengthOfString(String text) {
      assertAccepted(text, "text");
    }

    @Test
    void shouldAcceptSizeOfCollectionResultAndNestedCollection() {
      assertAccepted("return.size", "search");
      assertAccepted("arg1.tags.size", "put");
      assertAccepted("arg1.lines.length", "put");
    }

    @Test
    void shouldRejectUnknownMemberOfArray() {
      assertThatThrownBy(() -> compile("arg0.first", "all"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'first'");
    }
  }

  @Nested
  class DynamicTypes {

    @Test
    void shouldAcceptAnythingAfterMapParameter() {
      assertAccepted("arg0.tenant", "byMeta");
      assertAccepted("arg0.tenant.region.code", "byMeta");
      assertAccepted("arg0.agent-id", "byMeta");
    }

    @Test
    void shouldAcceptAnythingAfterMapField() {
      assertAccepted("arg1.meta.anything.at.all", "put");
    }

    @Test
    void shouldAcceptAnythingAfterMapResult() {
      assertAccepted("return.hits", "stats");
    }

    @Test
    void shouldAcceptAnythingAfterObjectParameter() {
      assertAccepted("arg0.whatever.deeper", "process");
    }

    @Test
    void shouldAcceptAnythingAfterObjectField() {
      assertAccepted("arg1.payload.detail", "put");
    }

    @Test
    void shouldAcceptAnythingAfterTypeVariableParameter() {
      assertAccepted("arg0.whatever", "keep");
    }

    @Test
    void shouldAcceptAnythingOnCompletableFutureResult() {
      assertAccepted("return.text", "load");
      assertAccepted("return.notOnNoteEither", "load");
    }

    @Test
    void shouldAcceptAnythingOnCompletionStageResult() {
      assertAccepted("return.notOnNoteEither", "loadStage");
      assertAccepted("return != null", "loadStage");
    }

    @Test
    void shouldAcceptAnythingOnOptionalResult() {
      assertAccepted("return.text", "find");
      assertAccepted("return.notOnNoteEither", "find");
    }
  }

  @Nested
  class Interfaces {

    @Test
    void shouldAcceptGetterDeclaredOnInterface() {
      assertAccepted("arg0.name", "named");
    }

    @Test
    void shouldAcceptMethodDeclaredOnInterface() {
      assertAccepted("arg0.id", "identified");
    }

    @Test
    void shouldAcceptGetterDeclaredOnSuperInterface() {
      assertAccepted("arg0.name", "identified");
    }

    @Test
    void shouldAcceptInterfaceMemberOfAbstractClassThatDoesNotDeclareIt() {
      assertAccepted("arg0.name", "abstractNamed");
    }

    @Test
    void shouldRejectMemberMissingFromInterface() {
      assertRejected(() -> compile("arg0.colour", "identified"),
          Identified.class.getName() + " has no field, getter or record component 'colour'");
    }
  }

  @Nested
  class Records {

    @TempDir
    Path classes;

    @Test
    void shouldAcceptRecordComponents() throws Exception {
      Class<?> memo = RecordFixture.memo(classes);

      for (String text : new String[] {"arg0.id", "arg0.tokens", "arg0.tags.size", "arg0.describe"}) {
        CompiledExpression compiled = ExpressionCompiler.compile(Expression.parse(text), method(memo, "save"));

        assertThat(compiled.text()).isEqualTo(text);
      }
    }

    @Test
    void shouldRejectUnknownRecordComponentNamingRecord() throws Exception {
      Class<?> memo = RecordFixture.memo(classes);

      assertThatThrownBy(() -> ExpressionCompiler.compile(Expression.parse("arg0.colour"), method(memo, "save")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("fixture.Memo has no field, getter or record component 'colour'");
    }
  }
}
