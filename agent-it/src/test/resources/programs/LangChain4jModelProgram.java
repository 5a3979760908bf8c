import dev.langchain4j.community.store.memory.chat.redis.RedisChatMemoryStore;
import dev.langchain4j.community.store.memory.chat.redis.StoreType;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An application written only against LangChain4j: an AI service with a chat memory per conversation on Redis
 * (the community Redis store) and a content retriever over an in-memory embedding store, talking to an
 * OpenAI-compatible model server (langchain4j-open-ai). Two conversations take turns on one thread pool, then on
 * virtual threads where the JVM has them; then a call the server fails, and one that times out. It knows nothing
 * of memtrace and prints a transcript that must be the same with and without an agent.
 * Usage: LangChain4jModelProgram redisHost redisPort modelBaseUrlWithV1
 */
public class LangChain4jModelProgram {

  interface Assistant {
    String chat(@MemoryId String conversation, @UserMessage String message);
  }

  interface StreamingAssistant {
    TokenStream chat(@MemoryId String conversation, @UserMessage String message);
  }

  /** Words hashed into a small vector: deterministic, no model service. */
  static final class HashEmbeddings implements EmbeddingModel {
    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
      List<Embedding> out = new ArrayList<>();
      for (TextSegment s : segments) {
        float[] v = new float[16];
        for (String word : s.text().toLowerCase().split("[^\\p{L}\\p{N}]+")) {
          if (!word.isEmpty()) {
            v[Math.floorMod(word.hashCode(), 16)] += 1f;
          }
        }
        out.add(Embedding.from(v));
      }
      return Response.from(out);
    }
  }

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String modelUrl = args[2];

    ChatMemoryStore redis = RedisChatMemoryStore.builder().host(host).port(port).storeType(StoreType.STRING).build();
    EmbeddingModel embeddings = new HashEmbeddings();
    InMemoryEmbeddingStore<TextSegment> facts = new InMemoryEmbeddingStore<>();
    for (String fact : List.of("Alice prefers tea over coffee", "Bob keeps his bike in locker 42",
        "The office opens at nine", "Lunch is served at noon")) {
      TextSegment segment = TextSegment.from(fact);
      facts.add(embeddings.embed(segment).content(), segment);
    }

    Assistant assistant = assistant(model(modelUrl, Duration.ofSeconds(30)), redis, embeddings, facts);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    turns("pool", assistant, pool);
    pool.shutdown();

    ExecutorService virtual = virtualThreads();
    if (virtual != null) {
      turns("virtual", assistant, virtual);
      virtual.shutdown();
    } else {
      System.out.println("virtual threads: not in this JVM");
    }

    StreamingAssistant streaming = AiServices.builder(StreamingAssistant.class)
        .streamingChatModel(OpenAiStreamingChatModel.builder().baseUrl(modelUrl).apiKey("test-key")
            .modelName("test-model").timeout(Duration.ofSeconds(30)).build())
        .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(20).chatMemoryStore(redis).build())
        .contentRetriever(EmbeddingStoreContentRetriever.builder().embeddingStore(facts).embeddingModel(embeddings)
            .maxResults(2).minScore(0.0).build())
        .build();
    for (int turn = 1; turn <= 2; turn++) {
      System.out.println("stream-alice " + turn + ": " + stream(streaming, "stream-alice", "Alice streams " + turn + ": tea?"));
    }
    System.out.println("stream-fail: " + stream(streaming, "stream-fail", "Please [fail] the stream"));
    // a stream the application cancels at its first chunk; the server holds the rest
    CompletableFuture<String> first = new CompletableFuture<>();
    streaming.chat("stream-cancel", "Cancel me [stall-stream] please")
        .onPartialResponseWithContext((partial, context) -> {
          context.streamingHandle().cancel();
          first.complete(partial.text());
        })
        .onCompleteResponse(r -> first.complete("completed"))
        .onError(first::completeExceptionally)
        .start();
    System.out.println("stream-cancel: " + first.get(30, TimeUnit.SECONDS));

    try {
      System.out.println("fail: " + assistant.chat("conv-fail", "Please [fail] now"));
    } catch (RuntimeException e) {
      System.out.println("fail threw " + e.getClass().getName() + ": " + e.getMessage());
    }
    Assistant impatient = assistant(model(modelUrl, Duration.ofMillis(500)), redis, embeddings, facts);
    try {
      System.out.println("timeout: " + impatient.chat("conv-timeout", "Please [stall] now"));
    } catch (RuntimeException e) {
      System.out.println("timeout threw " + e.getClass().getName());
    }
  }

  /** A streamed turn, waited for: its text, or what failed it. */
  static String stream(StreamingAssistant assistant, String conversation, String message) throws Exception {
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    assistant.chat(conversation, message).onPartialResponse(part -> { }).onCompleteResponse(done::complete)
        .onError(done::completeExceptionally).start();
    try {
      return done.get(30, TimeUnit.SECONDS).aiMessage().text().replace('\n', ' ');
    } catch (ExecutionException e) {
      return "failed with " + e.getCause().getClass().getName();
    }
  }

  static ChatModel model(String url, Duration timeout) {
    return OpenAiChatModel.builder().baseUrl(url).apiKey("test-key").modelName("test-model").timeout(timeout)
        .maxRetries(0).build();
  }

  static Assistant assistant(ChatModel model, ChatMemoryStore store, EmbeddingModel embeddings,
      InMemoryEmbeddingStore<TextSegment> facts) {
    return AiServices.builder(Assistant.class)
        .chatModel(model)
        .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(20).chatMemoryStore(store).build())
        .contentRetriever(EmbeddingStoreContentRetriever.builder().embeddingStore(facts).embeddingModel(embeddings)
            .maxResults(2).minScore(0.0).build())
        .build();
  }

  /** Three turns of two conversations, each turn of one beside the same turn of the other. */
  static void turns(String label, Assistant assistant, ExecutorService executor) throws Exception {
    for (int turn = 1; turn <= 3; turn++) {
      String a = label + "-alice";
      String b = label + "-bob";
      int t = turn;
      Future<String> fa = executor.submit(() -> assistant.chat(a, "Alice asks " + t + ": tea or coffee?"));
      Future<String> fb = executor.submit(() -> assistant.chat(b, "Bob asks " + t + ": where is my bike?"));
      System.out.println(a + " " + t + ": " + fa.get());
      System.out.println(b + " " + t + ": " + fb.get());
    }
  }

  static ExecutorService virtualThreads() {
    try {
      Method m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return (ExecutorService) m.invoke(null);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
