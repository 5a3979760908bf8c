package io.memtrace.agent.pipeline.retention;

import static io.memtrace.agent.semconv.AttributeNames.DB_NAMESPACE;
import static io.memtrace.agent.semconv.AttributeNames.SERVER_ADDRESS;
import static io.memtrace.agent.semconv.AttributeNames.SERVER_PORT;

import io.memtrace.agent.span.AttributeSlots;
import io.memtrace.agent.span.SpanRecord;
import io.memtrace.common.KeyEventLineWriter;
import io.memtrace.common.KeyEventLines;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The key events of the carrier being filled, by connection ({@code server.address}, {@code server.port},
 * {@code db.namespace}, said once on each event): its single commands' lines, a {@code memtrace.commands} event, and
 * its pipelines' and transactions', a {@code memtrace.batches} event. Consumer thread only.
 */
final class KeyEventGroups {

  private static final AttributeKey<String> COMMANDS = AttributeKey.stringKey(KeyEventLines.ATTRIBUTE);
  private static final AttributeKey<String> BATCHES = AttributeKey.stringKey(KeyEventLines.BATCHES);
  private static final String ADDRESS = SERVER_ADDRESS.getKey();
  private static final String PORT = SERVER_PORT.getKey();
  private static final String DATABASE = DB_NAMESPACE.getKey();

  private final List<Group> groups = new ArrayList<>();
  private final List<Group> spare = new ArrayList<>();
  /** The group found last: consecutive commands mostly share their connection. */
  private Group last;

  /** The commands of one connection in the carrier being filled. */
  static final class Group {
    final KeyEventLineWriter lines = new KeyEventLineWriter();
    /** Its compressed pipelines and transactions, an event of their own ({@link KeyEventLines#BATCHES}). */
    final KeyEventLineWriter batches = new KeyEventLineWriter();
    String address;
    long port;
    String database;
    /** The event's attributes before its lines, made once for the connection: a group is reused for it. */
    private Attributes place;

    Attributes place() {
      if (place == null) {
        AttributesBuilder b = Attributes.builder();
        if (address != null) {
          b.put(SERVER_ADDRESS, address);
        }
        if (port >= 0) {
          b.put(SERVER_PORT, port);
        }
        if (database != null) {
          b.put(DB_NAMESPACE, database);
        }
        place = b.build();
      }
      return place;
    }

    boolean is(String address, long port, String database) {
      return port == this.port && same(address, this.address) && same(database, this.database);
    }

    private static boolean same(String a, String b) {
      return a == b || a != null && a.equals(b); // the connection's cache hands over the same strings each time
    }
  }

  /** The group of the connection a span's attributes name. */
  Group of(AttributeSlots s) {
    String address = null;
    String database = null;
    long port = -1;
    for (int i = 0, n = s.count(); i < n; i++) {
      // the names come from AttributeNames, the one place that spells them
      String name = s.key(i);
      if (name.equals(ADDRESS)) {
        address = s.stringValue(i);
      } else if (name.equals(PORT)) {
        port = s.longValue(i);
      } else if (name.equals(DATABASE)) {
        database = s.stringValue(i);
      }
    }
    return of(address, port, database);
  }

  /** The group of the connection at {@code address} ({@code null}: none), {@code port} (-1: none), {@code database}. */
  Group of(String address, long port, String database) {
    if (last != null && last.is(address, port, database)) {
      return last;
    }
    for (int i = 0; i < groups.size(); i++) {
      if (groups.get(i).is(address, port, database)) {
        return last = groups.get(i);
      }
    }
    for (int i = spare.size() - 1; i >= 0; i--) {
      if (spare.get(i).is(address, port, database)) { // the connection's group of the last carrier, its place made
        Group group = spare.remove(i);
        groups.add(group);
        return last = group;
      }
    }
    Group group = spare.isEmpty() ? new Group() : spare.remove(spare.size() - 1);
    group.address = address;
    group.port = port;
    group.database = database;
    group.place = null;
    groups.add(group);
    return last = group;
  }

  int size() {
    return groups.size();
  }

  /** Adds each group's events to {@code carrier} (their lines copied into it as UTF-8) and forgets them. */
  void writeTo(SpanRecord carrier) {
    for (Group group : groups) {
      writeTo(carrier, group, group.lines, KeyEventLines.ATTRIBUTE, COMMANDS);
      writeTo(carrier, group, group.batches, KeyEventLines.BATCHES, BATCHES);
    }
    spare.addAll(groups);
    groups.clear();
    last = null;
  }

  private static void writeTo(SpanRecord carrier, Group group, KeyEventLineWriter lines, String name,
      AttributeKey<String> key) {
    if (lines.lines() > 0) {
      carrier.addLinesEvent(lines.firstEnd(), name, group.place(), key, lines.utf8(), lines.length());
      lines.clear();
    }
  }
}
