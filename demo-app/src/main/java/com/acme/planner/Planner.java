package com.acme.planner;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;

/**
 * The fleet's planner: asks a model what to do next, giving it the planning conversation so far from its chat memory
 * (LangChain4j's {@code MessageWindowChatMemory} over {@link PlannerMemoryStore}, in Redis).
 */
public final class Planner {

  private final ChatModel model;
  private final ChatMemory memory;

  public Planner(String modelBaseUrl, PlannerMemoryStore store, String conversation) {
    this.model = OpenAiChatModel.builder().baseUrl(modelBaseUrl).apiKey("demo-key").modelName("demo-planner")
        .timeout(Duration.ofSeconds(10)).maxRetries(0).build();
    this.memory = MessageWindowChatMemory.builder().id(conversation).maxMessages(20).chatMemoryStore(store).build();
  }

  /** One planning turn: the question joins the memory, the model is given the memory, its answer joins it too. */
  public String plan(String question) {
    if (memory.messages().isEmpty()) {
      memory.add(SystemMessage.from("You plan the QE fleet's next steps."));
    }
    memory.add(UserMessage.from(question));
    ChatResponse response = model.chat(memory.messages());
    memory.add(response.aiMessage());
    return response.aiMessage().text();
  }
}
