package com.acme.chat;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application that keeps an assistant's chat memory and a profile cache in Redis
 * through Spring Data Redis (Lettuce unless {@code spring.data.redis.client-type=jedis}). It knows
 * nothing of memtrace. It runs one scripted session ({@link ChatSession}) and exits.
 */
@SpringBootApplication
public class ChatApplication {

  public static void main(String[] args) {
    System.exit(SpringApplication.exit(SpringApplication.run(ChatApplication.class, args)));
  }

  @Bean
  ChatMemory chatMemory(ChatMemoryRepository repository) {
    return MessageWindowChatMemory.builder().chatMemoryRepository(repository).maxMessages(10).build();
  }
}
