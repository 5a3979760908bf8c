package io.memtrace.agent.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The first key of the command a {@link RedisCommandInfo} holds, decoded, shown and namespaced at
 * most once each; and the previous command's first key (a copy of its bytes) with what was made of
 * it: an instance reused by the consumer sees the same key again often (a read after a write, a hot
 * key), and then reuses the strings instead of decoding and cutting new ones. One thread only.
 */
final class FirstKeyMemo {

  private String key;
  private String shown;
  private String namespace;
  private KeyPolicy shownBy;
  private KeyPolicy namespaceBy;
  private byte[] lastKeyBytes = new byte[64];
  private int lastKeyLength = -1;
  private String lastKey;
  private String lastKeyShown;
  private String lastKeyNamespace;
  private KeyPolicy lastShownBy;
  private KeyPolicy lastNamespaceBy;

  /** A new command: its first key is not known yet. */
  void reset() {
    key = null;
    shown = null;
    namespace = null;
    shownBy = null;
    namespaceBy = null;
  }

  /** The key sent as {@code raw}, the command's first, decoded once. */
  String key(byte[] raw) {
    if (key == null) {
      if (raw.length == lastKeyLength && Arrays.equals(raw, 0, raw.length, lastKeyBytes, 0, lastKeyLength)) {
        key = lastKey;
        shown = lastKeyShown;
        shownBy = lastShownBy;
        namespace = lastKeyNamespace;
        namespaceBy = lastNamespaceBy;
      } else {
        key = new String(raw, StandardCharsets.UTF_8);
        remember(raw);
      }
    }
    return key;
  }

  private void remember(byte[] raw) {
    if (raw.length > 1024) {
      lastKeyLength = -1; // not worth keeping
      return;
    }
    if (raw.length > lastKeyBytes.length) {
      lastKeyBytes = new byte[Math.max(raw.length, lastKeyBytes.length * 2)];
    }
    System.arraycopy(raw, 0, lastKeyBytes, 0, raw.length);
    lastKeyLength = raw.length;
    lastKey = key;
    lastKeyShown = null;
    lastShownBy = null;
    lastKeyNamespace = null;
    lastNamespaceBy = null;
  }

  /** The key {@link #key} returned, as {@code keys} shows it. */
  String shown(KeyPolicy keys) {
    if (shownBy != keys) {
      shownBy = keys;
      shown = keys.display(key);
      if (lastKey == key) {
        lastShownBy = keys;
        lastKeyShown = shown;
      }
    }
    return shown;
  }

  /** The namespace {@code keys} derives from the key {@link #key} returned. */
  String namespace(KeyPolicy keys) {
    if (namespaceBy != keys) {
      namespaceBy = keys;
      namespace = keys.namespace(key);
      if (lastKey == key) {
        lastNamespaceBy = keys;
        lastKeyNamespace = namespace;
      }
    }
    return namespace;
  }
}
