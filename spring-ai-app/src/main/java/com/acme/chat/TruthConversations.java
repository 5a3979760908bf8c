package com.acme.chat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.stereotype.Component;

/**
 * With {@code --truth.model-url=http://host:port} (an OpenAI-compatible server), {@code --truth.seed=S} and
 * {@code --truth.conversations=N}: conversations generated from the seed on ChatClient with a MessageChatMemoryAdvisor,
 * each over a MessageWindowChatMemory of its own size (2, 3, 4 or 50 messages: the small ones evict) on the app's
 * Redis repository. Two tenants ({@code acme:} and {@code globex:} conversation ids), 1 to 6 turns each, every
 * question marked {@code <<conversation#turn>>}. The turns run interleaved in a shuffled order, a conversation's own
 * turns one after the other: on virtual threads where the JVM has them, else on a pool of three. Prints a transcript
 * that must not change with an agent attached.
 */
@Component
@Order(3)
@ConditionalOnProperty("truth.model-url")
public class TruthConversations implements ApplicationRunner {

  private static final int[] WINDOWS = {2, 3, 4, 50};
  private static final String[] WORDS = {"tea", "bike", "locker", "noon", "rain", "train", "desk", "badge"};

  private final ChatMemoryRepository repository;
  private final String url;
  private final long seed;
  private final int conversations;

  public TruthConversations(ChatMemoryRepository repository, Environment environment) {
    this.repository = repository;
    this.url = environment.getProperty("truth.model-url");
    this.seed = Long.parseLong(environment.getProperty("truth.seed", "1"));
    this.conversations = Integer.parseInt(environment.getProperty("truth.conversations", "7"));
  }

  @Override
  public void run(ApplicationArguments args) throws Exception {
    Random random = new Random(seed);
    Map<String, Integer> windows = new LinkedHashMap<>();
    Map<String, Integer> turns = new HashMap<>();
    List<String> schedule = new ArrayList<>();
    for (int c = 1; c <= conversations; c++) {
      String id = (c % 2 == 1 ? "acme" : "globex") + ":c" + c;
      windows.put(id, WINDOWS[random.nextInt(WINDOWS.length)]);
      int n = 1 + random.nextInt(6);
      turns.put(id, n);
      for (int t = 0; t < n; t++) {
        schedule.add(id);
      }
    }
    // the k-th place of a conversation in the shuffled schedule is its turn k
    Collections.shuffle(schedule, random);

    OpenAiChatModel model = OpenAiChatModel.builder()
        .openAiApi(OpenAiApi.builder().baseUrl(url).apiKey("test-key").build())
        .defaultOptions(OpenAiChatOptions.builder().model("test-model").build())
        .retryTemplate(RetryTemplate.builder().maxAttempts(1).build()).build();
    Map<Integer, ChatClient> clients = new HashMap<>();
    for (int window : WINDOWS) {
      ChatMemory memory = MessageWindowChatMemory.builder().chatMemoryRepository(repository).maxMessages(window)
          .build();
      clients.put(window, ChatClient.builder(model).defaultAdvisors(MessageChatMemoryAdvisor.builder(memory).build())
          .build());
    }

    ExecutorService executor = virtualThreads();
    String threads = executor != null ? "virtual threads" : "a pool of 3";
    if (executor == null) {
      executor = Executors.newFixedThreadPool(3);
    }
    Map<String, String> answers = new ConcurrentHashMap<>();
    Map<String, CompletableFuture<Void>> chains = new HashMap<>();
    Map<String, Integer> placed = new HashMap<>();
    for (String id : schedule) {
      int turn = placed.merge(id, 1, Integer::sum);
      String question = "<<" + id + "#" + turn + ">> " + WORDS[random.nextInt(WORDS.length)] + "?";
      ChatClient client = clients.get(windows.get(id));
      Runnable call = () -> answers.put(id + "#" + turn, client.prompt().user(question)
          .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, id)).call().content());
      chains.put(id, chains.getOrDefault(id, CompletableFuture.completedFuture(null)).thenRunAsync(call, executor));
    }
    CompletableFuture.allOf(chains.values().toArray(new CompletableFuture[0])).get(5, TimeUnit.MINUTES);
    executor.shutdown();

    System.out.println("seed " + seed + ": " + schedule.size() + " turns of " + conversations + " conversations on "
        + threads);
    for (Map.Entry<String, Integer> w : windows.entrySet()) {
      String id = w.getKey();
      System.out.println(id + " (window " + w.getValue() + ", " + turns.get(id) + " turns)");
      for (int t = 1; t <= turns.get(id); t++) {
        System.out.println("  " + t + ": " + answers.get(id + "#" + t));
      }
    }
  }

  /** A virtual thread per task on a JVM that has them (21 and later), else null. */
  private static ExecutorService virtualThreads() {
    try {
      Method m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return (ExecutorService) m.invoke(null);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
