package com.acme.chat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Repository;

/**
 * Conversations in Redis: each one a list {@code chat:<id>:messages} of {@code TYPE:text} entries,
 * and the set {@code chat:ids} of the conversations there are.
 */
// @Repository: Spring puts a CGLIB subclass in front of it (exception translation), which memtrace must not trace twice
@Repository
public class RedisChatMemoryRepository implements ChatMemoryRepository {

  static final String IDS = "chat:ids";

  private final StringRedisTemplate redis;

  public RedisChatMemoryRepository(StringRedisTemplate redis) {
    this.redis = redis;
  }

  @Override
  public List<String> findConversationIds() {
    Set<String> ids = redis.opsForSet().members(IDS);
    return ids == null ? List.of() : ids.stream().sorted().collect(Collectors.toList());
  }

  @Override
  public List<Message> findByConversationId(String conversationId) {
    List<String> entries = redis.opsForList().range(key(conversationId), 0, -1);
    return entries == null ? List.of() : entries.stream().map(RedisChatMemoryRepository::decode).collect(Collectors.toList());
  }

  @Override
  public void saveAll(String conversationId, List<Message> messages) {
    redis.delete(key(conversationId));
    if (!messages.isEmpty()) {
      redis.opsForList().rightPushAll(key(conversationId),
          messages.stream().map(m -> m.getMessageType().name() + ":" + m.getText()).collect(Collectors.toList()));
    }
    redis.opsForSet().add(IDS, conversationId);
  }

  @Override
  public void deleteByConversationId(String conversationId) {
    redis.delete(key(conversationId));
    redis.opsForSet().remove(IDS, conversationId);
  }

  static String key(String conversationId) {
    return "chat:" + conversationId + ":messages";
  }

  private static Message decode(String entry) {
    int colon = entry.indexOf(':');
    String text = entry.substring(colon + 1);
    switch (MessageType.valueOf(entry.substring(0, colon))) {
      case ASSISTANT:
        return new AssistantMessage(text);
      case SYSTEM:
        return new SystemMessage(text);
      default:
        return new UserMessage(text);
    }
  }
}
