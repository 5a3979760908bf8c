package io.memtrace.agent.it;

import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.genai.ModelServer;
import io.memtrace.testsupport.genai.ModelTruth;
import io.memtrace.testsupport.genai.ModelTruthContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/**
 * Model-call memory against an oracle, with real LangChain4j 1.9: seeded conversations (LangChain4jTruthProgram)
 * with windows that evict old messages and two tenants, interleaved on a pool of three threads (the build's Java)
 * or on virtual threads (Java 25). The oracle is what the stub model received ({@link ModelServer#requests()}), not
 * memtrace: each request names its conversation and turn in its last message's marker, and every message it carries
 * came from that conversation's chat memory. Each model span memtrace made is then judged right when its one link
 * is a {@code chat_memory} link to the last top-level read of that conversation before the call, and the read's
 * {@code gen_ai.memory.record.count}, the link's {@code memtrace.context.records} and the span's
 * {@code memtrace.context.messages} all equal the number of messages the model received; wrong otherwise
 * ({@link ModelTruth}, shared with SpringAiModelTruthIT). The spans are then imported into a store of the collector
 * jar, whose report must flag cross-tenant records in a conversation exactly where the oracle has some
 * ({@link ModelTruth#crossTenant}).
 *
 * <p>{@code -Dmodeltruth.seed=S} replays one seed (on both JVMs), {@code -Dmodeltruth.seeds=a,b,c} runs others,
 * {@code -Dmodeltruth.conversations=N} sets how many conversations a seed generates (7); the test itself is
 * {@link ModelTruthContract}'s.
 */
class LangChain4jModelTruthIT extends ModelTruthContract {

  private static final AtomicInteger EVICTED = new AtomicInteger();
  private static String classPath;

  LangChain4jModelTruthIT() {
    super("modeltruth", ModelTruth.Prompt.WHOLE, "1,2,3,4");
  }

  @BeforeAll
  static void compile() throws Exception {
    classPath = TestPrograms.compileForRelease("langchain4j-truth", "17",
        TestPrograms.libraryClassPath("langchain4j-1.9.0"), "LangChain4jTruthProgram.java",
        "LangChain4jModelProgram.java");
  }

  @Override
  protected ForkedJvm program(Path java, long seed, String conversations) {
    return ForkedJvm.program(classPath, "LangChain4jTruthProgram", redis.host, String.valueOf(redis.port),
        model.v1Url(), String.valueOf(seed), conversations).java(java);
  }

  @Override
  protected void judged(ModelTruth.Request request) {
    EVICTED.addAndGet(request.messages() < 2 * request.turn() - 1 ? 1 : 0);
  }

  @Override
  protected String tallies() {
    return EVICTED.get() + " of them after their window evicted messages";
  }
}
