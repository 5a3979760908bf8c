package io.memtrace.bench.genai;

import java.util.List;

/**
 * A stand-in for an AI framework's chat memory and model client, known to memtrace only from
 * {@code memtrace-model-bench.yaml}: {@link Memory#get} is a chat-memory read ({@code context: chat_memory}),
 * {@link Cache#get} the same read without it, {@link Model#call} a model call ({@code operation: chat}) whose
 * prompt holds the messages the memory returned. Nothing leaves the process, so what is measured is memtrace.
 */
public final class ChatParts {

  private ChatParts() {
  }

  /** One message; its text is what provenance counts. */
  public static final class Message {
    private final String text;

    public Message(String text) {
      this.text = text;
    }

    public String getText() {
      return text;
    }
  }

  /** A model's answer with its usage. */
  public static final class Response {
    private final String model;
    private final int inputTokens;
    private final int outputTokens;

    Response(String model, int inputTokens, int outputTokens) {
      this.model = model;
      this.inputTokens = inputTokens;
      this.outputTokens = outputTokens;
    }

    public String getModel() {
      return model;
    }

    public int getInputTokens() {
      return inputTokens;
    }

    public int getOutputTokens() {
      return outputTokens;
    }
  }

  /** A chat memory whose read returns the conversation's messages (the same list each time: no allocation). */
  public static final class Memory {
    private final List<Message> messages;

    public Memory(List<Message> messages) {
      this.messages = messages;
    }

    public List<Message> get(String conversation) {
      return messages;
    }
  }

  /** The same read, with no {@code context}: the baseline for what provenance adds to a read. */
  public static final class Cache {
    private final List<Message> messages;

    public Cache(List<Message> messages) {
      this.messages = messages;
    }

    public List<Message> get(String conversation) {
      return messages;
    }
  }

  /** A model client that answers at once. */
  public static final class Model {
    private final Response response = new Response("bench-model", 42, 7);

    public String getModel() {
      return "bench-model";
    }

    public Response call(List<Message> prompt) {
      return response;
    }
  }
}
