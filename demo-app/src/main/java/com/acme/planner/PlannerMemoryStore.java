package com.acme.planner;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import java.util.List;
import redis.clients.jedis.JedisPooled;

/** The planner's conversations in Redis, one JSON string per conversation under {@code aqe/planner:ID}. */
public final class PlannerMemoryStore implements ChatMemoryStore {

  private final JedisPooled redis;

  public PlannerMemoryStore(JedisPooled redis) {
    this.redis = redis;
  }

  private static String key(Object id) {
    return "aqe/planner:" + id;
  }

  @Override
  public List<ChatMessage> getMessages(Object id) {
    String json = redis.get(key(id));
    return json == null ? List.of() : ChatMessageDeserializer.messagesFromJson(json);
  }

  @Override
  public void updateMessages(Object id, List<ChatMessage> messages) {
    redis.setex(key(id), 3600, ChatMessageSerializer.messagesToJson(messages));
  }

  @Override
  public void deleteMessages(Object id) {
    redis.del(key(id));
  }
}
