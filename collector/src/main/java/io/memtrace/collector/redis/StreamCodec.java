package io.memtrace.collector.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * Streams through raw commands: Jedis's typed stream API decodes field values as text, and a
 * snapshot must keep bytes. Entries and consumer groups are kept; pending-entry lists are not.
 */
final class StreamCodec {

  /** Not in Jedis's command enum; sets the id that new entries must exceed. */
  private static final ProtocolCommand XSETID = () -> bytes("XSETID");

  private StreamCodec() {
  }

  static SnapshotEntry.StreamValue read(Jedis jedis, byte[] key) {
    List<SnapshotEntry.StreamEntry> entries = new ArrayList<>();
    for (Object raw : (List<?>) jedis.sendCommand(Protocol.Command.XRANGE, key, bytes("-"), bytes("+"))) {
      List<?> entry = (List<?>) raw;
      List<?> flat = (List<?>) entry.get(1);
      List<byte[][]> fields = new ArrayList<>();
      for (int i = 0; i + 1 < flat.size(); i += 2) {
        fields.add(new byte[][] {(byte[]) flat.get(i), (byte[]) flat.get(i + 1)});
      }
      entries.add(new SnapshotEntry.StreamEntry(text(entry.get(0)), fields));
    }
    String lastId = field((List<?>) jedis.sendCommand(Protocol.Command.XINFO, bytes("STREAM"), key), "last-generated-id");
    List<SnapshotEntry.Group> groups = new ArrayList<>();
    for (Object raw : (List<?>) jedis.sendCommand(Protocol.Command.XINFO, bytes("GROUPS"), key)) {
      List<?> group = (List<?>) raw;
      groups.add(new SnapshotEntry.Group(bytesField(group, "name"), field(group, "last-delivered-id")));
    }
    return new SnapshotEntry.StreamValue(entries, lastId, groups);
  }

  static void restore(Jedis jedis, byte[] key, SnapshotEntry.StreamValue stream) {
    for (SnapshotEntry.StreamEntry entry : stream.entries()) {
      List<byte[]> args = new ArrayList<>();
      args.add(key);
      args.add(bytes(entry.id()));
      for (byte[][] pair : entry.fields()) {
        args.add(pair[0]);
        args.add(pair[1]);
      }
      jedis.sendCommand(Protocol.Command.XADD, args.toArray(new byte[0][]));
    }
    if (stream.entries().isEmpty()) {
      // XGROUP CREATE ... MKSTREAM is the one way to create an empty stream
      jedis.sendCommand(Protocol.Command.XGROUP, bytes("CREATE"), key, bytes("memtrace-restore"), bytes("0"), bytes("MKSTREAM"));
      jedis.sendCommand(Protocol.Command.XGROUP, bytes("DESTROY"), key, bytes("memtrace-restore"));
    }
    if (stream.lastId() != null) {
      jedis.sendCommand(XSETID, key, bytes(stream.lastId()));
    }
    for (SnapshotEntry.Group group : stream.groups()) {
      jedis.sendCommand(Protocol.Command.XGROUP, bytes("CREATE"), key, group.name(), bytes(group.lastDeliveredId()));
    }
  }

  private static String field(List<?> flat, String name) {
    byte[] value = bytesField(flat, name);
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  private static byte[] bytesField(List<?> flat, String name) {
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      if (name.equals(text(flat.get(i)))) {
        Object v = flat.get(i + 1);
        return v instanceof byte[] ? (byte[]) v : v == null ? null : bytes(v.toString());
      }
    }
    return null;
  }

  private static String text(Object raw) {
    return raw instanceof byte[] ? new String((byte[]) raw, StandardCharsets.UTF_8) : String.valueOf(raw);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
