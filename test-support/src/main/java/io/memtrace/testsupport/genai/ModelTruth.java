package io.memtrace.testsupport.genai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.testsupport.CollectorShell;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Link;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The oracle of model-call memory (issue 72 item 3) and its judge, for LangChain4jModelTruthIT and
 * SpringAiModelTruthIT alike. The oracle is what the stub model received ({@link ModelServer#requests()}), never
 * memtrace: each request names its conversation ({@code tenant:cN}) and turn in its last message's marker, and every
 * message of its memory carries the marker of a turn of one conversation. The judge then holds each model span to it.
 */
public final class ModelTruth {

  private static final Pattern MARKER = Pattern.compile("<<([a-z]+):(c[0-9]+)#([0-9]+)>>");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Which messages of a request came from memory. */
  public enum Prompt {
    /** All of them, the turn's question too (LangChain4j adds it to the memory before it reads). */
    WHOLE,
    /** Those before the last, the turn's question (Spring AI's advisor reads the memory before it adds it). */
    BEFORE_QUESTION
  }

  /**
   * One request the stub model received: its turn in its conversation, how many messages came from chat memory, and
   * how many of those carry the marker of another tenant's conversation (a class: test-support builds for Java 11).
   */
  public static final class Request {
    private final int turn;
    private final int messages;
    private final int crossTenant;

    Request(int turn, int messages, int crossTenant) {
      this.turn = turn;
      this.messages = messages;
      this.crossTenant = crossTenant;
    }

    public int turn() {
      return turn;
    }

    public int messages() {
      return messages;
    }

    public int crossTenant() {
      return crossTenant;
    }
  }

  private ModelTruth() {
  }

  /** The tenant of a conversation id: what comes before its colon. */
  public static String tenant(String conversation) {
    return conversation.substring(0, conversation.indexOf(':'));
  }

  /**
   * The requests by conversation, in turn order. Every message from memory must carry the marker of a turn of one
   * conversation, up to the request's own turn ({@link Prompt#WHOLE}) or before it; one of another conversation of the
   * same tenant fails here (no scenario makes one), one of another tenant's is counted as a cross-tenant record.
   */
  public static Map<String, List<Request>> oracle(List<JsonNode> requests, Prompt prompt) {
    Map<String, List<Request>> byConversation = new TreeMap<>();
    for (JsonNode request : requests) {
      JsonNode messages = request.path("messages");
      Matcher last = MARKER.matcher(messages.get(messages.size() - 1).path("content").asText());
      if (!last.find()) {
        throw new AssertionError("no marker in the last message of " + request);
      }
      String tenant = last.group(1);
      String conversation = tenant + ":" + last.group(2);
      int turn = Integer.parseInt(last.group(3));
      int memory = prompt == Prompt.WHOLE ? messages.size() : messages.size() - 1;
      int cross = 0;
      for (int i = 0; i < memory; i++) {
        Matcher m = MARKER.matcher(messages.get(i).path("content").asText());
        if (!m.find()) {
          throw new AssertionError("a message of " + conversation + "#" + turn + " from no memory: " + request);
        }
        int its = Integer.parseInt(m.group(3));
        if (!m.group(1).equals(tenant)) {
          cross++;
        } else if (!(m.group(1) + ":" + m.group(2)).equals(conversation)
            || (prompt == Prompt.WHOLE ? its > turn : its >= turn)) {
          throw new AssertionError("a message of " + conversation + "#" + turn + " from another memory: " + request);
        }
      }
      byConversation.computeIfAbsent(conversation, c -> new ArrayList<>()).add(new Request(turn, memory, cross));
    }
    for (List<Request> turns : byConversation.values()) {
      turns.sort(Comparator.comparingInt(Request::turn));
    }
    return byConversation;
  }

  /**
   * Null when memtrace's span of this call says what the model received, else what it says wrong: its one link is a
   * {@code chat_memory} link to the last top-level read of the conversation in {@code chatMemory} before the call, the
   * read's {@code gen_ai.memory.record.count}, the link's {@code memtrace.context.records} and the span's
   * {@code memtrace.context.messages} equal the oracle's count, and {@code memory.found} is false exactly when it is 0.
   */
  public static String judge(ExportedSpans exported, Span call, String conversation, Request request,
      String chatMemory) {
    long expected = request.messages();
    if (call.links.size() != 1) {
      return call.links.size() + " links, not one: " + call.links;
    }
    Link link = call.links.get(0);
    if (!"chat_memory".equals(link.attributes.get("memtrace.context.source"))) {
      return "a link that is no chat-memory read: " + link;
    }
    Span read = exported.target(link).orElse(null);
    if (read == null) {
      return "a link to no exported span: " + link;
    }
    if (!conversation.equals(read.attributes.get("memory.key"))) {
      return "linked to a read of " + read.attributes.get("memory.key");
    }
    Span last = ModelCalls.lastReadBefore(exported, chatMemory, conversation, call.start).orElse(null);
    if (!read.equals(last)) {
      return "linked to " + read + ", not the last read before the call " + last;
    }
    Object records = read.attributes.get("gen_ai.memory.record.count");
    Object linked = link.attributes.get("memtrace.context.records");
    Object messages = call.attributes.get("memtrace.context.messages");
    if (!Long.valueOf(expected).equals(records) || !Long.valueOf(expected).equals(linked)
        || !Long.valueOf(expected).equals(messages)) {
      return "the model received " + expected + " memory messages; the read holds " + records + ", the link says "
          + linked + ", the span " + messages;
    }
    if (!Boolean.valueOf(expected > 0).equals(read.attributes.get("memory.found"))) {
      return "memory.found=" + read.attributes.get("memory.found") + " for a read of " + expected + " messages";
    }
    return null;
  }

  /**
   * The cross-tenant flags memtrace gives the calls, judged against the oracle: the spans of {@code spansFile} are
   * imported into a fresh store by the collector jar's {@code import} (run in {@code collector}), and its report's
   * model calls (under the tenant rule that a conversation's tenant is what comes before its colon, {@code acme:c1},
   * and a record's the same part of the conversation id in its key) must count, for
   * each conversation, cross-tenant records exactly where the oracle has some. A second report,
   * whose rule takes a record's tenant from its conversation number ({@code cN}, never a tenant's name), must flag
   * every record of every call with memory: the rule resolves both sides, so the first report's zeros are not for
   * want of a tenant. Returns what is wrong, one line each.
   */
  public static List<String> crossTenant(CollectorShell collector, Path spansFile, Path dir,
      Map<String, List<Request>> oracle) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path data = dir.resolve("data");
    ForkedJvm.Result imported = collector.run(dir.resolve("import"), "import", "--data", data.toString(),
        spansFile.toString());
    if (imported.exitCode != 0) {
      throw new AssertionError("import of " + spansFile + ": " + imported);
    }
    List<String> wrong = new ArrayList<>();
    Map<String, JsonNode> byTenant = conversations(collector, dir, data, "'^([a-z]+):'", "'([a-z]+):c[0-9]+'");
    Map<String, JsonNode> control = conversations(collector, dir, data, "'^([a-z]+):'", "'(c[0-9]+)'");
    for (Map.Entry<String, List<Request>> conversation : oracle.entrySet()) {
      String id = conversation.getKey();
      long cross = conversation.getValue().stream().mapToLong(Request::crossTenant).sum();
      long withMemory = conversation.getValue().stream().filter(r -> r.messages() > 0).count();
      JsonNode row = byTenant.get(id);
      JsonNode crossed = control.get(id);
      if (row == null || crossed == null) {
        wrong.add(id + ": not in the report's model calls");
        continue;
      }
      long flagged = row.path("cross_tenant_reads").asLong(-1);
      if (cross == 0 ? flagged != 0 : flagged <= 0) {
        wrong.add(id + ": " + flagged + " cross-tenant reads in memtrace's report, " + cross
            + " cross-tenant messages the model received");
      }
      if (withMemory > 0 && crossed.path("cross_tenant_reads").asLong() < withMemory) {
        wrong.add(id + ": under a rule that makes every record another tenant's, " + crossed.path("cross_tenant_reads")
            + " cross-tenant reads for " + withMemory + " calls with memory: the tenants are not resolved");
      }
    }
    return wrong;
  }

  /** The report's model-call rows by conversation, under a tenant rule of these two patterns (YAML scalars). */
  private static Map<String, JsonNode> conversations(CollectorShell collector, Path dir, Path data,
      String fromConversation, String fromKey) throws IOException, InterruptedException {
    Path config = dir.resolve("tenant-" + Integer.toHexString(fromKey.hashCode()) + ".yaml");
    Files.writeString(config, "memory-state:\n  tenant:\n    from-conversation: " + fromConversation
        + "\n    from-key: " + fromKey + "\n");
    ForkedJvm.Result report = collector.run(dir.resolve("report-" + Integer.toHexString(fromKey.hashCode())),
        "report", "--format", "json", "--config", config.toString(), "--data", data.toString());
    if (report.exitCode != 0) {
      throw new AssertionError("report: " + report);
    }
    Map<String, JsonNode> rows = new TreeMap<>();
    JsonNode section = JSON.readTree(report.stdout).path("sections").path("model_calls");
    section.path("rows").forEach(r -> rows.put(r.path("conversation").asText(), r));
    if (rows.size() < section.path("conversations").asLong()) {
      throw new AssertionError("the report lists " + rows.size() + " of " + section.path("conversations")
          + " conversations: ask fewer per seed");
    }
    return rows;
  }
}
