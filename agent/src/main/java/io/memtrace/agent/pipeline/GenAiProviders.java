package io.memtrace.agent.pipeline;

/**
 * {@code gen_ai.provider.name} from a model client's class, in the values the GenAI conventions list:
 * Spring AI's and LangChain4j's clients are named after their provider ({@code OpenAiChatModel},
 * {@code AnthropicChatModel}). A class no entry matches gives its own name, lower-case, without
 * {@code ChatModel}.
 */
final class GenAiProviders {

  private static final String[][] BY_NAME = {
      {"AzureOpenAi", "azure.ai.openai"}, {"OpenAi", "openai"}, {"Anthropic", "anthropic"},
      {"Bedrock", "aws.bedrock"}, {"VertexAi", "gcp.vertex_ai"}, {"Gemini", "gcp.gemini"},
      {"Mistral", "mistral_ai"}, {"Ollama", "ollama"}, {"DeepSeek", "deepseek"}, {"Groq", "groq"},
      {"Watsonx", "ibm.watsonx.ai"}, {"Cohere", "cohere"}, {"Perplexity", "perplexity"}};

  private static final ClassValue<String> NAMES = new ClassValue<String>() {
    @Override
    protected String computeValue(Class<?> type) {
      String simple = type.getSimpleName();
      for (String[] entry : BY_NAME) {
        if (simple.contains(entry[0])) {
          return entry[1];
        }
      }
      String bare = simple.replace("StreamingChatModel", "").replace("ChatModel", "");
      return bare.isEmpty() ? simple.toLowerCase(java.util.Locale.ROOT) : bare.toLowerCase(java.util.Locale.ROOT);
    }
  };

  private GenAiProviders() {
  }

  static String of(Class<?> type) {
    return NAMES.get(type);
  }
}
