import dev.langchain4j.community.store.memory.chat.redis.RedisChatMemoryStore;
import dev.langchain4j.community.store.memory.chat.redis.StoreType;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import dev.langchain4j.store.memory.chat.InMemoryChatMemoryStore;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An application written only against LangChain4j: windowed chat memories over the in-memory store
 * and over the community Redis store (plain strings, GET/SET on any Redis), and an in-memory
 * embedding store fed with embeddings the application computes itself (words hashed into a small
 * vector, so that runs are deterministic and need no model service). It knows nothing of memtrace.
 * Prints a transcript that must be the same with and without an agent.
 * Usage: LangChain4jMemoryProgram redisHost redisPort
 */
public class LangChain4jMemoryProgram {

  static final int DIMENSIONS = 16;

  static Embedding embed(String text) {
    float[] v = new float[DIMENSIONS];
    for (String word : text.toLowerCase().split("[^\\p{L}\\p{N}]+")) {
      if (!word.isEmpty()) {
        v[Math.floorMod(word.hashCode(), DIMENSIONS)] += 1f;
      }
    }
    return Embedding.from(v);
  }

  public static void main(String[] args) {
    String host = args[0];
    int port = Integer.parseInt(args[1]);

    ChatMemoryStore inMemory = new InMemoryChatMemoryStore();
    ChatMemory alice = window("alice", inMemory);
    alice.add(UserMessage.from("Hello, I am Alice."));
    alice.add(AiMessage.from("Hi Alice, café or tea?"));
    print("alice", alice.messages());
    print("stranger", window("stranger", inMemory).messages());
    alice.clear();
    print("alice after clear", alice.messages());

    ChatMemoryStore redis = RedisChatMemoryStore.builder()
        .host(host)
        .port(port)
        .storeType(StoreType.STRING)
        .build();
    ChatMemory bob = window("session-bob", redis);
    bob.add(UserMessage.from("Bob here: my locker is 42."));
    bob.add(AiMessage.from("Noted, Bob: locker 42 ✓"));
    print("bob", bob.messages());
    print("redis session-unknown", redis.getMessages("session-unknown"));
    bob.clear();
    print("redis session-bob after clear", redis.getMessages("session-bob"));

    InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
    store.add("seg-1", embed("Redis keeps the session cache keys"));
    store.add(embed("Alice prefers tea over coffee"), TextSegment.from("Alice prefers tea over coffee"));
    List<String> texts = List.of("The cache evicts cold keys first", "Crème brûlée is a French dessert");
    store.addAll(List.of("seg-3", "seg-4"), texts.stream().map(LangChain4jMemoryProgram::embed).collect(Collectors.toList()),
        texts.stream().map(TextSegment::from).collect(Collectors.toList()));
    searched("search cache keys", store, "cache keys", 2, 0.5);
    store.remove("seg-1");
    store.removeAll(List.of("seg-3"));
    searched("search cache keys after remove", store, "cache keys", 3, 0.0);
    store.removeAll();
    searched("search after removeAll", store, "cache keys", 3, 0.0);
  }

  static ChatMemory window(String id, ChatMemoryStore store) {
    return MessageWindowChatMemory.builder().id(id).maxMessages(10).chatMemoryStore(store).build();
  }

  static void print(String label, List<ChatMessage> messages) {
    System.out.println(label + " " + messages.size() + " " + messages.stream().map(LangChain4jMemoryProgram::text)
        .collect(Collectors.toList()));
  }

  static String text(ChatMessage message) {
    if (message instanceof UserMessage) {
      return "USER:" + ((UserMessage) message).singleText();
    }
    return message.type() + ":" + ((AiMessage) message).text();
  }

  static void searched(String label, InMemoryEmbeddingStore<TextSegment> store, String query, int maxResults, double minScore) {
    List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
        .queryEmbedding(embed(query))
        .maxResults(maxResults)
        .minScore(minScore)
        .build()).matches();
    System.out.println(label + " " + matches.stream()
        .map(m -> m.embedded() == null ? m.embeddingId() : m.embedded().text())
        .collect(Collectors.toList()));
  }
}
