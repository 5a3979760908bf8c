package com.acme.chat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * One scripted session of the assistant (no model: the replies are canned): caches the user's
 * profile, keeps a conversation in the chat memory, reads it back and forgets it. Prints a
 * transcript that must not change with an agent attached.
 */
@Component
@Order(1)
public class ChatSession implements ApplicationRunner {

  private final ChatMemory memory;
  private final ChatMemoryRepository conversations;
  private final ProfileCache profiles;

  public ChatSession(ChatMemory memory, ChatMemoryRepository conversations, ProfileCache profiles) {
    this.memory = memory;
    this.conversations = conversations;
    this.profiles = profiles;
  }

  @Override
  public void run(ApplicationArguments args) {
    profiles.rememberName("ada", "Ada Lovelace", Duration.ofMinutes(5));
    profiles.prefer("ada", "drink", "tea");
    System.out.println("name ada " + profiles.name("ada"));
    System.out.println("name bob " + profiles.name("bob"));
    System.out.println("prefers " + profiles.preference("ada", "drink"));

    memory.add("c-1", new UserMessage("Hello, I am Ada."));
    memory.add("c-1", List.of(new AssistantMessage("Welcome back, Ada! Tea as usual?")));
    print("c-1", memory.get("c-1"));
    print("c-2", memory.get("c-2"));
    System.out.println("conversations " + conversations.findConversationIds());
    memory.clear("c-1");
    print("c-1 after clear", memory.get("c-1"));
    System.out.println("forgot ada " + profiles.forget("ada"));
  }

  private static void print(String label, List<Message> messages) {
    System.out.println(label + " " + messages.stream().map(m -> m.getMessageType() + ":" + m.getText())
        .collect(Collectors.toList()));
  }
}
