package io.memtrace.collector.provenance;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whose memory a call and a record are: the {@code memory-state.tenant} section of memtrace's YAML file. A call's
 * tenant comes from an attribute of its memory span or its model span ({@code attribute}), else from the conversation
 * id ({@code gen_ai.conversation.id}) through {@code conversation}; a record's from its Redis key or record id through
 * {@code key}. Each pattern's first group is the tenant, or the whole match when it has no group. With no rule, or
 * when either side has no tenant, nothing is flagged: a cross-tenant read is one whose two tenants are known and differ.
 *
 * @param conversation a pattern over the conversation id, or null
 * @param attribute an attribute naming the tenant on a memory or model span, or null
 * @param key a pattern over Redis keys and record ids, or null
 */
public record TenantRule(Pattern conversation, String attribute, Pattern key) {

  /** No rule: no tenant is ever known. */
  public static final TenantRule NONE = new TenantRule(null, null, null);

  /** The attribute that carries a conversation id, on model spans and memory spans alike. */
  public static final String CONVERSATION_ID = "gen_ai.conversation.id";

  public boolean any() {
    return conversation != null || attribute != null || key != null;
  }

  /** The tenant of a span with these attributes (by {@link #attribute}, else its conversation id); null when unknown. */
  public String ofSpan(Map<String, Object> attributes) {
    if (attribute != null && attributes.get(attribute) != null) {
      return attributes.get(attribute).toString();
    }
    Object conversationId = attributes.get(CONVERSATION_ID);
    return conversationId == null ? null : match(conversation, conversationId.toString());
  }

  /** The tenant of a Redis key or record id; null when unknown. */
  public String ofKey(String keyOrId) {
    return keyOrId == null ? null : match(key, keyOrId);
  }

  private static String match(Pattern pattern, String text) {
    if (pattern == null) {
      return null;
    }
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return null;
    }
    return m.groupCount() >= 1 ? m.group(1) : m.group();
  }

  /** Whether both tenants are known and differ. */
  public static boolean crosses(String callTenant, String recordTenant) {
    return callTenant != null && recordTenant != null && !callTenant.equals(recordTenant);
  }
}
