package com.acme.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.client.advisor.PromptChatMemoryAdvisor;
import org.springframework.ai.chat.client.advisor.vectorstore.QuestionAnswerAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.ai.rag.advisor.RetrievalAugmentationAdvisor;
import org.springframework.ai.rag.retrieval.search.VectorStoreDocumentRetriever;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * With {@code --assistant.model-url=http://host:port} (an OpenAI-compatible server): an assistant on Spring AI's
 * ChatClient with the app's chat memory (MessageChatMemoryAdvisor over the Redis repository) and a
 * QuestionAnswerAdvisor over a SimpleVectorStore of a few facts. Two conversations take turns on one thread
 * pool; two turns with a RetrievalAugmentationAdvisor, two with a PromptChatMemoryAdvisor; two streamed turns and a stream cancelled half way; then a call the server fails and one that times out. Prints a transcript that must not change with an
 * agent attached.
 */
@Component
@Order(2) // the scripted session first, then the assistant: the transcript's order is fixed
@ConditionalOnProperty("assistant.model-url")
public class AssistantSession implements ApplicationRunner {

  private final ChatMemory memory;
  private final String url;
  /**
   * With {@code --assistant.observations=true}: Spring AI's observations, as OpenTelemetry spans (counted; written
   * to {@code --assistant.observed-spans=FILE} when given).
   */
  private final ObservedSpans observed;

  public AssistantSession(ChatMemory memory, Environment environment) {
    this.memory = memory;
    this.url = environment.getProperty("assistant.model-url");
    String spansFile = environment.getProperty("assistant.observed-spans");
    this.observed = Boolean.parseBoolean(environment.getProperty("assistant.observations"))
        ? new ObservedSpans(spansFile == null ? null : java.nio.file.Paths.get(spansFile)) : null;
  }

  /** Words hashed into a small vector: deterministic, no embedding service. */
  static final class HashEmbeddings implements EmbeddingModel {
    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
      List<Embedding> out = new ArrayList<>();
      for (String text : request.getInstructions()) {
        out.add(new Embedding(vector(text), out.size()));
      }
      return new EmbeddingResponse(out);
    }

    @Override
    public float[] embed(Document document) {
      return vector(document.getText());
    }

    static float[] vector(String text) {
      float[] v = new float[16];
      for (String word : text.toLowerCase().split("[^\\p{L}\\p{N}]+")) {
        if (!word.isEmpty()) {
          v[Math.floorMod(word.hashCode(), 16)] += 1f;
        }
      }
      return v;
    }
  }

  @Override
  public void run(ApplicationArguments args) throws Exception {
    VectorStore facts = SimpleVectorStore.builder(new HashEmbeddings()).batchingStrategy(List::of).build();
    facts.add(List.of(new Document("Ada prefers tea over coffee"), new Document("Bob keeps his bike in locker 42"),
        new Document("The office opens at nine"), new Document("Lunch is served at noon")));

    ChatClient assistant = client(Duration.ofSeconds(30), facts, false);
    ChatClient streaming = client(Duration.ofSeconds(30), facts, true);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    for (int turn = 1; turn <= 3; turn++) {
      int t = turn;
      Future<String> a = pool.submit(() -> ask(assistant, "pool-ada", "Ada asks " + t + ": tea or coffee?"));
      Future<String> b = pool.submit(() -> ask(assistant, "pool-bob", "Bob asks " + t + ": where is my bike?"));
      System.out.println("pool-ada " + t + ": " + a.get().replace('\n', ' '));
      System.out.println("pool-bob " + t + ": " + b.get().replace('\n', ' '));
    }
    pool.shutdown();
    ChatClient rag = ChatClient.builder(model(Duration.ofSeconds(30), false))
        .defaultAdvisors(MessageChatMemoryAdvisor.builder(memory).build(), RetrievalAugmentationAdvisor.builder()
            .documentRetriever(VectorStoreDocumentRetriever.builder().vectorStore(facts).topK(2).build()).build())
        .build();
    for (int turn = 1; turn <= 2; turn++) {
      System.out.println("rag-ada " + turn + ": " + ask(rag, "rag-ada", "Ada asks RAG " + turn + ": tea or coffee?")
          .replace('\n', ' '));
    }
    ChatClient promptMemory = ChatClient.builder(model(Duration.ofSeconds(30), false))
        .defaultAdvisors(PromptChatMemoryAdvisor.builder(memory).build(),
            QuestionAnswerAdvisor.builder(facts).searchRequest(SearchRequest.builder().topK(2).build()).build())
        .build();
    for (int turn = 1; turn <= 2; turn++) {
      System.out.println("prompt-ada " + turn + ": " + ask(promptMemory, "prompt-ada", "Ada asks again " + turn + ": tea?")
          .replace('\n', ' '));
    }
    for (int turn = 1; turn <= 2; turn++) {
      System.out.println("stream-ada " + turn + ": " + String.join("", streaming.prompt()
          .user("Ada streams " + turn + ": tea or coffee?")
          .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "stream-ada")).stream().content()
          .collectList().block()).replace('\n', ' '));
    }
    // a stream the subscriber cancels half way: the first chunk taken, the rest (held by the server) never waited for
    System.out.println("stream-cancel: " + streaming.prompt().user("Cancel me [stall-stream] please")
        .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "stream-cancel")).stream().content()
        .take(1).collectList().block());
    try {
      System.out.println("fail: " + ask(assistant, "conv-fail", "Please [fail] now"));
    } catch (RuntimeException e) {
      System.out.println("fail threw " + e.getClass().getName());
    }
    try {
      System.out.println("timeout: " + ask(client(Duration.ofMillis(500), facts, false), "conv-timeout", "Please [stall] now"));
    } catch (RuntimeException e) {
      System.out.println("timeout threw " + e.getClass().getName());
    }
    if (observed != null) {
      System.out.println("model spans observed by Spring AI: " + observed.modelSpans());
    }
  }

  private static String ask(ChatClient assistant, String conversation, String text) {
    return assistant.prompt().user(text).advisors(a -> a.param(ChatMemory.CONVERSATION_ID, conversation))
        .call().content();
  }

  private ChatClient client(Duration timeout, VectorStore facts, boolean streamUsage) {
    return ChatClient.builder(model(timeout, streamUsage))
        .defaultAdvisors(MessageChatMemoryAdvisor.builder(memory).build(),
            QuestionAnswerAdvisor.builder(facts).searchRequest(SearchRequest.builder().topK(2).build()).build())
        .build();
  }

  private OpenAiChatModel model(Duration timeout, boolean streamUsage) {
    SimpleClientHttpRequestFactory http = new SimpleClientHttpRequestFactory();
    http.setReadTimeout(timeout);
    OpenAiApi api = OpenAiApi.builder().baseUrl(url).apiKey("test-key")
        .restClientBuilder(RestClient.builder().requestFactory(http)).build();
    OpenAiChatModel.Builder builder = OpenAiChatModel.builder();
    if (observed != null) {
      builder.observationRegistry(observed.registry());
    }
    OpenAiChatModel model = builder.openAiApi(api)
        .defaultOptions(OpenAiChatOptions.builder().model("test-model").streamUsage(streamUsage).build())
        .retryTemplate(RetryTemplate.builder().maxAttempts(1).build()).build();
    return model;
  }
}
