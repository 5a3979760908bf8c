package com.acme.chat;

import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.genai.ModelServer;
import io.memtrace.testsupport.genai.ModelTruth;
import io.memtrace.testsupport.genai.ModelTruthContract;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Model-call memory against an oracle, with real Spring AI 1.1.2: the app's {@link TruthConversations} (ChatClient
 * with a MessageChatMemoryAdvisor over MessageWindowChatMemory windows of 2, 3, 4 or 50 messages on the app's Redis
 * repository, two tenants, turns interleaved on a pool of three or on virtual threads) under the agent. The oracle
 * is what the stub model received ({@link ModelServer#requests()}), not memtrace: each request names its
 * conversation and turn in its last message's marker, and every message before that question came from that
 * conversation's chat memory. Spring AI's advisor reads the memory before it adds the question, so a first turn's
 * read finds the memory empty and the model receives no memory message.
 *
 * <p>Each model span memtrace made is right when its one link is a {@code chat_memory} link to the last top-level
 * read of its conversation before the call, and the read's {@code gen_ai.memory.record.count}, the link's
 * {@code memtrace.context.records} and the span's {@code memtrace.context.messages} all equal the count the model
 * received, with {@code memory.found} false exactly when that count is 0; wrong otherwise ({@link ModelTruth}, shared
 * with LangChain4jModelTruthIT). The spans are then imported into a store of the collector jar, whose report must
 * flag cross-tenant records in a conversation exactly where the oracle has some ({@link ModelTruth#crossTenant}).
 *
 * <p>{@code -Dspringtruth.seed=S} replays one seed (on both JVMs), {@code -Dspringtruth.seeds=a,b,c} runs others,
 * {@code -Dspringtruth.conversations=N} sets how many conversations a seed generates (7); the test itself is
 * {@link ModelTruthContract}'s.
 */
class SpringAiModelTruthIT extends ModelTruthContract {

  private static final Path APP = Paths.get(System.getProperty("spring.ai.app.jar", "target/memtrace-spring-ai-app.jar"))
      .toAbsolutePath();
  private static final AtomicInteger EVICTED = new AtomicInteger();
  private static final AtomicInteger EMPTY = new AtomicInteger();

  SpringAiModelTruthIT() {
    super("springtruth", ModelTruth.Prompt.BEFORE_QUESTION, "1,2,3");
  }

  @Override
  protected ForkedJvm program(Path java, long seed, String conversations) {
    return ForkedJvm.jar(APP, "--spring.data.redis.host=" + redis.host, "--spring.data.redis.port=" + redis.port,
        "--truth.model-url=" + model.baseUrl(), "--truth.seed=" + seed, "--truth.conversations=" + conversations)
        .java(java);
  }

  @Override
  protected void judged(ModelTruth.Request request) {
    EMPTY.addAndGet(request.messages() == 0 ? 1 : 0);
    EVICTED.addAndGet(request.messages() < 2 * (request.turn() - 1) ? 1 : 0);
  }

  @Override
  protected String tallies() {
    return EMPTY.get() + " on an empty memory, " + EVICTED.get() + " after their window evicted messages";
  }
}
