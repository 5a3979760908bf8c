import dev.langchain4j.community.store.memory.chat.redis.RedisChatMemoryStore;
import dev.langchain4j.community.store.memory.chat.redis.StoreType;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import java.time.Duration;
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

/**
 * Conversations generated from a seed, written only against LangChain4j: an AI service with a
 * MessageWindowChatMemory per conversation on Redis (the community Redis store), each window its own size (small
 * ones evict old messages), two tenants ({@code acme:} and {@code globex:} conversation ids), every turn's question
 * marked {@code <<conversation#turn>>}. The turns of all conversations run interleaved in a shuffled order, a
 * conversation's own turns one after the other: on virtual threads where the JVM has them, else on a pool of three.
 * It knows nothing of memtrace and prints a transcript that must be the same with and without an agent.
 * Compiled beside LangChain4jModelProgram (its virtual-thread executor).
 * Usage: LangChain4jTruthProgram redisHost redisPort modelBaseUrlWithV1 seed conversations
 */
public class LangChain4jTruthProgram {

  interface Assistant {
    String chat(@MemoryId String conversation, @UserMessage String message);
  }

  private static final int[] WINDOWS = {2, 3, 4, 50};
  private static final String[] WORDS = {"tea", "bike", "locker", "noon", "rain", "train", "desk", "badge"};

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String modelUrl = args[2];
    long seed = Long.parseLong(args[3]);
    int conversations = Integer.parseInt(args[4]);
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

    ChatMemoryStore redis = RedisChatMemoryStore.builder().host(host).port(port).storeType(StoreType.STRING).build();
    Assistant assistant = AiServices.builder(Assistant.class)
        .chatModel(OpenAiChatModel.builder().baseUrl(modelUrl).apiKey("test-key").modelName("test-model")
            .timeout(Duration.ofSeconds(60)).maxRetries(0).build())
        .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(windows.get((String) id))
            .chatMemoryStore(redis).build())
        .build();

    ExecutorService executor = LangChain4jModelProgram.virtualThreads();
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
      Runnable call = () -> answers.put(id + "#" + turn, assistant.chat(id, question));
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
}
