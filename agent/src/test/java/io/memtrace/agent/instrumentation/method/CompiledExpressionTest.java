package io.memtrace.agent.instrumentation.method;

import static io.memtrace.agent.instrumentation.method.ExpressionFixtures.compile;
import static io.memtrace.agent.instrumentation.method.ExpressionFixtures.method;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.agent.config.Expression;
import io.memtrace.agent.instrumentation.method.ExpressionFixtures.Note;
import io.memtrace.agent.instrumentation.method.ExpressionFixtures.Shadowed;
import io.memtrace.agent.instrumentation.method.ExpressionFixtures.Store;
import io.memtrace.agent.instrumentation.method.ExpressionFixtures.TenantStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompiledExpressionTest {

  private static final Store STORE = new Store();

  private static Note note(String text) {
    return new Note(text, true, List.of("a", "b", "c"), Map.of("tenant", "t-9"), new String[] {"l1", "l2"});
  }

  /** Evaluates {@code text}, compiled against {@code Store#storeMethod}, for one call. */
  private static Object eval(String text, String storeMethod, Object returned, Object... args) throws Exception {
    return compile(text, storeMethod).evaluate(STORE, args, returned);
  }

  @Nested
  class Roots {

    @Test
    void shouldReturnTheReceiverForThis() throws Exception {
      assertThat(eval("this", "put", null, "k", note("x"))).isSameAs(STORE);
    }

    @Test
    void shouldReturnTheArgumentAtItsIndex() throws Exception {
      assertThat(compile("arg3", "six").evaluate(STORE, new Object[] {0, 1, 2, "three", 4, 5}, null))
          .isEqualTo("three");
    }

    @Test
    void shouldReturnTheResultForReturn() throws Exception {
      Note result = note("r");

      assertThat(eval("return", "get", result, "k")).isSameAs(result);
    }

    @Test
    void shouldReturnNullForNullArgument() throws Exception {
      assertThat(eval("arg1", "put", null, "k", null)).isNull();
    }
  }

  @Nested
  class Members {

    @Test
    void shouldReadPrivateField() throws Exception {
      assertThat(eval("arg1.text", "put", null, "k", note("hello"))).isEqualTo("hello");
    }

    @Test
    void shouldReadPrivateFieldOfSuperclass() throws Exception {
      CompiledExpression tenant = ExpressionCompiler.compile(Expression.parse("this.tenant"),
          method(TenantStore.class, "clear"));

      assertThat(tenant.evaluate(new TenantStore(), new Object[0], null)).isEqualTo("tenant-1");
    }

    @Test
    void shouldReadGetter() throws Exception {
      assertThat(eval("arg1.name", "put", null, "k", note("n"))).isEqualTo("note:n");
    }

    @Test
    void shouldReadBooleanIsGetter() throws Exception {
      assertThat(eval("arg1.pinned", "put", null, "k", note("n"))).isEqualTo(true);
      assertThat(eval("arg1.pinned", "put", null, "k", new Note("n"))).isEqualTo(false);
    }

    @Test
    void shouldCallNoArgMethodOfThatName() throws Exception {
      assertThat(eval("arg1.summary", "put", null, "k", note("hello"))).isEqualTo("hel…");
    }

    @Test
    void shouldPreferGetterOverFieldOfSameName() throws Exception {
      CompiledExpression label = ExpressionCompiler.compile(Expression.parse("arg0.label"), method(Store.class, "process"));

      assertThat(label.evaluate(STORE, new Object[] {new Shadowed()}, null)).isEqualTo("getter");
    }

    @Test
    void shouldFollowNestedPath() throws Exception {
      Note child = note("child").withParent(note("parent").withParent(note("root")));

      assertThat(eval("arg1.parent.parent.text", "put", null, "k", child)).isEqualTo("root");
      assertThat(eval("return.parent.name", "get", child, "k")).isEqualTo("note:parent");
    }

    @Test
    void shouldReturnNullWhenPathMeetsNullInTheMiddle() throws Exception {
      Note orphan = note("orphan");

      assertThat(eval("arg1.parent.parent.text", "put", null, "k", orphan)).isNull();
      assertThat(eval("arg1.parent.text != null", "put", null, "k", orphan)).isEqualTo(false);
    }

    @Test
    void shouldReturnNullWhenRootIsNull() throws Exception {
      assertThat(eval("return.parent.text", "get", null, "k")).isNull();
    }

    @Test
    void shouldReadSameMemberFromDifferentRuntimeClasses() throws Exception {
      CompiledExpression name = ExpressionCompiler.compile(Expression.parse("arg0.name"), method(Store.class, "process"));
      Object anonymous = new Object() {
        public String getName() {
          return "anonymous";
        }
      };

      assertThat(name.evaluate(STORE, new Object[] {note("n")}, null)).isEqualTo("note:n");
      assertThat(name.evaluate(STORE, new Object[] {anonymous}, null)).isEqualTo("anonymous");
      assertThat(name.evaluate(STORE, new Object[] {note("m")}, null)).isEqualTo("note:m");
    }

    @Test
    void shouldThrowNamingClassAndMemberWhenRuntimeObjectLacksIt() {
      CompiledExpression colour = ExpressionCompiler.compile(Expression.parse("arg0.colour"), method(Store.class, "process"));

      assertThatThrownBy(() -> colour.evaluate(STORE, new Object[] {note("n")}, null))
          .isInstanceOf(NoSuchFieldException.class)
          .hasMessage(Note.class.getName() + " has no field, getter or record component 'colour'");
    }

    @Test
    void shouldThrowWhenRuntimeSubclassBehindObjectFieldLacksMember() {
      CompiledExpression detail = compile("arg1.payload.detail", "put");
      Note withPayload = note("n").withPayload(new Note("inner"));

      assertThatThrownBy(() -> detail.evaluate(STORE, new Object[] {"k", withPayload}, null))
          .isInstanceOf(NoSuchFieldException.class)
          .hasMessageContaining("'detail'");
    }

    @Test
    void shouldKeepThrowingForMissingMemberOnLaterCalls() {
      CompiledExpression colour = ExpressionCompiler.compile(Expression.parse("arg0.colour"), method(Store.class, "process"));

      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> colour.evaluate(STORE, new Object[] {note("n")}, null))
            .as("a cached miss still throws")
            .isInstanceOf(NoSuchFieldException.class);
      }
    }

    @Test
    void shouldReadEveryGetterThatCompilationAccepted() throws Exception {
      CompiledExpression digest = compile("arg1.digest", "put");

      assertThat(digest.evaluate(STORE, new Object[] {"k", note("n")}, null)).isEqualTo("digest-n");
    }
  }

  @Nested
  class Maps {

    @Test
    void shouldReadMapKey() throws Exception {
      assertThat(eval("arg0.tenant", "byMeta", null, Map.of("tenant", "acme"))).isEqualTo("acme");
    }

    @Test
    void shouldReadDashedMapKey() throws Exception {
      assertThat(eval("arg0.agent-id", "byMeta", null, Map.of("agent-id", "planner"))).isEqualTo("planner");
    }

    @Test
    void shouldReturnNullForMissingMapKey() throws Exception {
      assertThat(eval("arg0.tenant", "byMeta", null, Map.of("other", 1))).isNull();
      assertThat(eval("arg0.tenant != null", "byMeta", null, Map.of("other", 1))).isEqualTo(false);
    }

    @Test
    void shouldFollowNestedMaps() throws Exception {
      Map<String, Object> meta = Map.of("tenant", Map.of("region", Map.of("code", "eu-1")));

      assertThat(eval("arg0.tenant.region.code", "byMeta", null, meta)).isEqualTo("eu-1");
    }

    @Test
    void shouldReadMapInsideObject() throws Exception {
      assertThat(eval("arg1.meta.tenant", "put", null, "k", note("n"))).isEqualTo("t-9");
    }

    @Test
    void shouldReadMapSizeWhenNoKeyIsNamedSize() throws Exception {
      Map<String, Object> meta = new HashMap<>();
      meta.put("a", 1);
      meta.put("b", 2);

      assertThat(eval("arg0.size", "byMeta", null, meta)).isEqualTo(2);
    }

    @Test
    void shouldPreferMapKeyNamedSizeOverMapSize() throws Exception {
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("size", "large");
      meta.put("b", 2);

      assertThat(eval("arg0.size", "byMeta", null, meta)).isEqualTo("large");
    }

    @Test
    void shouldReadObjectInsideMap() throws Exception {
      assertThat(eval("return.top.name", "stats", Map.of("top", note("t")))).isEqualTo("note:t");
    }
  }

  @Nested
  class Sizes {

    @Test
    void shouldReadSizeOfList() throws Exception {
      assertThat(eval("arg0.size", "tags", null, Arrays.asList("a", "b"))).isEqualTo(2);
      assertThat(eval("return.size", "search", List.of(note("a"), note("b"), note("c")), "q", 10)).isEqualTo(3);
    }

    @Test
    void shouldReadSizeOfJdkImmutableCollections() throws Exception {
      assertThat(eval("arg0.size", "tags", null, List.of())).isEqualTo(0);
      assertThat(eval("arg0.size", "tags", null, List.of("a"))).isEqualTo(1);
      assertThat(eval("arg0.size", "tags", null, List.of("a", "b", "c"))).isEqualTo(3);
      assertThat(eval("arg0.size", "process", null, Set.of("a", "b"))).isEqualTo(2);
      assertThat(eval("arg0.size", "byMeta", null, Map.of("a", 1, "b", 2, "c", 3))).isEqualTo(3);
    }

    @Test
    void shouldReadLengthOfCollectionAsItsSize() throws Exception {
      assertThat(eval("arg0.length", "tags", null, List.of("a", "b"))).isEqualTo(2);
    }

    @Test
    void shouldReadSizeAndLengthOfArray() throws Exception {
      Note[] notes = {note("a"), note("b")};

      assertThat(eval("arg0.length", "all", null, (Object) notes)).isEqualTo(2);
      assertThat(eval("arg0.size", "all", null, (Object) notes)).isEqualTo(2);
      assertThat(eval("arg1.lines.length", "put", null, "k", note("n"))).isEqualTo(2);
    }

    @Test
    void shouldReadSizeAndLengthOfString() throws Exception {
      assertThat(eval("arg0.length", "text", null, "hello")).isEqualTo(5);
      assertThat(eval("arg0.size", "text", null, "hello")).isEqualTo(5);
    }

    @Test
    void shouldReadSizeOfNestedList() throws Exception {
      assertThat(eval("arg1.tags.size", "put", null, "k", note("n"))).isEqualTo(3);
    }

    @Test
    void shouldReadPublicMethodOfPublicJdkClass() throws Exception {
      assertThat(eval("arg0.empty", "text", null, "")).isEqualTo(true);
    }

    @Test
    void shouldReadNonSizeMemberOfJdkImmutableCollection() throws Exception {
      assertThat(eval("arg0.empty", "tags", null, List.of("a"))).isEqualTo(false);
      assertThat(eval("arg0.key", "process", null, Map.entry("k", "v"))).isEqualTo("k");
    }
  }

  @Nested
  class NotNullTests {

    @Test
    void shouldGiveBooleanTrueForPresentValue() throws Exception {
      Object result = eval("return != null", "get", note("x"), "k");

      assertThat(result).isInstanceOf(Boolean.class).isEqualTo(Boolean.TRUE);
    }

    @Test
    void shouldGiveBooleanFalseForAbsentValue() throws Exception {
      Object result = eval("return != null", "get", null, "k");

      assertThat(result).isInstanceOf(Boolean.class).isEqualTo(Boolean.FALSE);
    }

    @Test
    void shouldTestPathResult() throws Exception {
      assertThat(eval("arg1.text != null", "put", null, "k", note("x"))).isEqualTo(true);
      assertThat(eval("arg1.text != null", "put", null, "k", new Note(null))).isEqualTo(false);
    }
  }

  @Nested
  class Optionals {

    @Test
    void shouldUnwrapPresentOptionalResult() throws Exception {
      Note found = note("f");

      assertThat(eval("return", "find", Optional.of(found), "k")).isSameAs(found);
    }

    @Test
    void shouldGiveNullForEmptyOptionalResult() throws Exception {
      assertThat(eval("return", "find", Optional.empty(), "k")).isNull();
    }

    @Test
    void shouldGiveFalseForNotNullTestOnEmptyOptional() throws Exception {
      assertThat(eval("return != null", "find", Optional.empty(), "k")).isEqualTo(false);
      assertThat(eval("return != null", "find", Optional.of(note("f")), "k")).isEqualTo(true);
    }

    @Test
    void shouldReadThroughPresentOptional() throws Exception {
      assertThat(eval("return.text", "find", Optional.of(note("inside")), "k")).isEqualTo("inside");
    }

    @Test
    void shouldGiveNullReadingThroughEmptyOptional() throws Exception {
      assertThat(eval("return.text", "find", Optional.empty(), "k")).isNull();
      assertThat(eval("return.text != null", "find", Optional.empty(), "k")).isEqualTo(false);
    }

    @Test
    void shouldUnwrapOptionalInTheMiddleOfPath() throws Exception {
      Map<String, Object> meta = Map.of("best", Optional.of(note("b")), "none", Optional.empty());

      assertThat(eval("arg0.best.text", "byMeta", null, meta)).isEqualTo("b");
      assertThat(eval("arg0.none.text", "byMeta", null, meta)).isNull();
      assertThat(eval("arg0.best", "byMeta", null, meta)).isInstanceOf(Note.class);
    }

    @Test
    void shouldAnswerPresentAndEmptyOnTheOptionalItself() throws Exception {
      Optional<Note> some = Optional.of(note("f"));
      Optional<Note> none = Optional.empty();

      assertThat(eval("return.present", "find", some, "k")).isEqualTo(true);
      assertThat(eval("return.present", "find", none, "k")).isEqualTo(false);
      assertThat(eval("return.isPresent", "find", some, "k")).isEqualTo(true);
      assertThat(eval("return.isPresent", "find", none, "k")).isEqualTo(false);
      assertThat(eval("return.empty", "find", some, "k")).isEqualTo(false);
      assertThat(eval("return.empty", "find", none, "k")).isEqualTo(true);
      assertThat(eval("return.isEmpty", "find", none, "k")).isEqualTo(true);
    }

    @Test
    void shouldAnswerPresentOnAnOptionalInTheMiddleOfPath() throws Exception {
      Map<String, Object> meta = Map.of("best", Optional.of(note("b")), "none", Optional.empty());

      assertThat(eval("arg0.best.present", "byMeta", null, meta)).isEqualTo(true);
      assertThat(eval("arg0.none.present", "byMeta", null, meta)).isEqualTo(false);
    }

    @Test
    void shouldStillReadOtherMembersThroughTheOptional() throws Exception {
      assertThat(eval("return.pinned", "find", Optional.of(note("f")), "k")).isEqualTo(true);
      assertThat(eval("return.text.empty", "find", Optional.of(note("")), "k"))
          .as("a String's own isEmpty, once unwrapped").isEqualTo(true);
    }

    @Test
    void shouldReadCompletedValueOfAsyncResult() throws Exception {
      // the advice hands over the completed value, not the future
      assertThat(eval("return.text", "load", note("done"), "k")).isEqualTo("done");
      assertThat(eval("return != null", "load", null, "k")).isEqualTo(false);
    }

    @Test
    void shouldNotConfuseFutureWithItsValue() throws Exception {
      CompletableFuture<Note> future = CompletableFuture.completedFuture(note("x"));

      assertThat(eval("return", "load", future, "k")).isSameAs(future);
    }
  }

  @Nested
  class Records {

    @TempDir
    Path classes;

    @Test
    void shouldReadRecordComponents() throws Exception {
      Class<?> memo = RecordFixture.memo(classes);
      Object value = RecordFixture.newMemo(memo, "m-1", 42, List.of("x", "y"));

      assertThat(evaluateOnMemo(memo, "arg0.id", value)).isEqualTo("m-1");
      assertThat(evaluateOnMemo(memo, "arg0.tokens", value)).isEqualTo(42);
      assertThat(evaluateOnMemo(memo, "arg0.tags.size", value)).isEqualTo(2);
      assertThat(evaluateOnMemo(memo, "arg0.describe", value)).isEqualTo("m-1#42");
      assertThat(evaluateOnMemo(memo, "arg0.id != null", value)).isEqualTo(true);
    }

    private Object evaluateOnMemo(Class<?> memo, String text, Object value) throws Exception {
      return ExpressionCompiler.compile(Expression.parse(text), method(memo, "save"))
          .evaluate(null, new Object[] {value}, null);
    }
  }
}
