import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.InMemoryChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;

/**
 * An application written only against Spring AI: a windowed chat memory over the in-memory
 * repository, and a simple vector store with an embedding model of its own (words hashed into a
 * small vector, so that runs are deterministic and need no model service). It knows nothing of
 * memtrace. Prints a transcript that must be the same with and without an agent.
 */
public class SpringAiMemoryProgram {

  /** Word counts hashed into {@link #DIMENSIONS} buckets: similar word sets, similar vectors. */
  static final class WordHashEmbeddingModel implements EmbeddingModel {
    static final int DIMENSIONS = 16;

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
      List<Embedding> embeddings = new ArrayList<>();
      for (String text : request.getInstructions()) {
        embeddings.add(new Embedding(vector(text), embeddings.size()));
      }
      return new EmbeddingResponse(embeddings);
    }

    @Override
    public float[] embed(Document document) {
      return vector(document.getText());
    }

    @Override
    public int dimensions() {
      return DIMENSIONS;
    }

    static float[] vector(String text) {
      float[] v = new float[DIMENSIONS];
      for (String word : text.toLowerCase().split("[^\\p{L}\\p{N}]+")) {
        if (!word.isEmpty()) {
          v[Math.floorMod(word.hashCode(), DIMENSIONS)] += 1f;
        }
      }
      return v;
    }
  }

  public static void main(String[] args) {
    InMemoryChatMemoryRepository repository = new InMemoryChatMemoryRepository();
    ChatMemory memory = MessageWindowChatMemory.builder()
        .chatMemoryRepository(repository)
        .maxMessages(10)
        .build();

    memory.add("conv-a", List.of(new UserMessage("Hello, I am Ada."), new AssistantMessage("Hi Ada! How can I help?")));
    // the single-message default method, which hands a one-element list to add(String, List)
    memory.add("conv-b", new UserMessage("Bonjour, un café ?"));
    memory.add("conv-a", List.of(new UserMessage("Remember: tea, not coffee.")));

    print("get conv-a", memory.get("conv-a"));
    print("get conv-b", memory.get("conv-b"));
    print("get conv-unknown", memory.get("conv-unknown"));
    System.out.println("conversations " + repository.findConversationIds().stream().sorted().collect(Collectors.toList()));
    memory.clear("conv-b");
    print("get conv-b after clear", memory.get("conv-b"));
    print("repository conv-a", repository.findByConversationId("conv-a"));

    SimpleVectorStore store = SimpleVectorStore.builder(new WordHashEmbeddingModel()).build();
    store.add(List.of(
        Document.builder().id("doc-1").text("Redis keeps the session cache keys").build(),
        Document.builder().id("doc-2").text("Ada prefers tea over coffee").build(),
        Document.builder().id("doc-3").text("The cache evicts cold keys first").build(),
        Document.builder().id("doc-4").text("Crème brûlée is a French dessert").build()));
    searched("search cache keys top 2",
        store.similaritySearch(SearchRequest.builder().query("cache keys").topK(2).similarityThreshold(0.25).build()));
    // the String overload, a default method that builds a SearchRequest and calls the other one
    searched("search tea", store.similaritySearch("tea coffee"));
    store.delete(List.of("doc-2", "doc-4"));
    searched("search tea after delete",
        store.similaritySearch(SearchRequest.builder().query("tea coffee").topK(3).similarityThresholdAll().build()));
    try {
      // a default method parsing the filter and calling delete(Filter.Expression), which SimpleVectorStore lacks
      store.delete("author == 'ada'");
      System.out.println("delete by filter: done");
    } catch (UnsupportedOperationException e) {
      System.out.println("delete by filter: unsupported");
    }
  }

  private static void print(String label, List<Message> messages) {
    System.out.println(label + " " + messages.size() + " "
        + messages.stream().map(m -> m.getMessageType() + ":" + m.getText()).collect(Collectors.toList()));
  }

  private static void searched(String label, List<Document> documents) {
    System.out.println(label + " " + documents.stream().map(Document::getId).collect(Collectors.toList()));
  }
}
