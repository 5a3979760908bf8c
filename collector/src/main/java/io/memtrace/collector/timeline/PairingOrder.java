package io.memtrace.collector.timeline;

import io.memtrace.collector.timeline.RecordRows.NotificationRow;
import io.memtrace.collector.timeline.RecordRows.SpanRow;
import java.util.List;
import java.util.Map;

/**
 * What Redis's order of events says about {@link NotificationCauses#accountFor}'s nearest-first pairs: each service's
 * clock orders its own spans, Redis sends its events in the order it ran the commands, and a script's events of a key
 * come together. Each pass unpairs or swaps what those orders rule out.
 */
final class PairingOrder {

  private PairingOrder() {
  }

  /**
   * Uncrosses the pairs of one service's spans with notifications of one kind and key: that service's clock orders its
   * own spans, and Redis's events come in the order it ran the commands, so the earlier span takes the earlier event.
   * Nearest first, a clock off by more than half the time between two commands (another host's, Node's) paired each
   * with the other's event. A pair is swapped only when both stay within their windows, and never with a script's.
   */
  static void inOrder(List<NotificationRow> notifications, SpanRow[] pairedWith) {
    Map<String, List<Integer>> groups = new java.util.HashMap<>();
    for (int i = 0; i < pairedWith.length; i++) {
      // a script's span says nothing of what it did: it may have made no change of that kind, and uncrossed with a
      // command that surely did, it took that command's event (an FCALL that wrote the key took the del of an UNLINK
      // after it, and the UNLINK the clearing DEL's del 7 ms later: the read after the UNLINK said deleted outside;
      // truth suite seeds 31098, 31501, 31774, 31939)
      if (pairedWith[i] != null && !script(pairedWith[i])) {
        NotificationRow n = notifications.get(i);
        String group = pairedWith[i].service() + "/" + n.kind() + "/" + n.db() + "/" + n.key();
        groups.computeIfAbsent(group, g -> new java.util.ArrayList<>()).add(i);
      }
    }
    for (List<Integer> group : groups.values()) {
      List<SpanRow> spans = new java.util.ArrayList<>(group.stream().map(i -> pairedWith[i]).toList());
      spans.sort(java.util.Comparator.comparingLong(SpanRow::endUs).thenComparingLong(SpanRow::timeUs));
      // the group's notifications are in the order received already
      boolean fits = true;
      for (int k = 0; k < group.size() && fits; k++) {
        NotificationRow n = notifications.get(group.get(k));
        fits = n.timeUs() >= spans.get(k).timeUs() - NotificationCauses.BEFORE_US
            && n.timeUs() <= spans.get(k).endUs() + NotificationCauses.AFTER_US;
      }
      for (int k = 0; fits && k < group.size(); k++) {
        pairedWith[group.get(k)] = spans.get(k);
      }
    }
  }

  /**
   * Uncrosses the pairs of two services' spans with two notifications of one kind and key where the later span took
   * the earlier notification though it was received before that span began, and the earlier span the later one: on
   * one host a command's own event cannot come before the command, and swapped each is received after its span began,
   * in the order the spans began. Nearest first, a traced SET 1 ms after a Node SET took the Node SET's set, received
   * 0.3 ms before the traced SET began and nearer its end than its own (the Node span ended late), and the read after
   * both named the Node SET (truth suite seed 52033). Without that sign nearest first stands: two services' clocks may
   * disagree by more than the time between their commands. Never with a script's, and only within each window.
   */
  static void acrossServices(List<NotificationRow> notifications, SpanRow[] pairedWith) {
    for (int i = 0; i < pairedWith.length; i++) {
      SpanRow later = pairedWith[i];
      NotificationRow first = notifications.get(i);
      if (later == null || script(later) || first.timeUs() >= later.timeUs()) {
        continue;
      }
      for (int j = i + 1; j < pairedWith.length; j++) {
        SpanRow earlier = pairedWith[j];
        NotificationRow second = notifications.get(j);
        if (earlier != null && earlier != later && !script(earlier) && second.kind().equals(first.kind())
            && second.db() == first.db() && second.key().equals(first.key())
            && !String.valueOf(earlier.service()).equals(String.valueOf(later.service()))
            && earlier.timeUs() <= first.timeUs() && second.timeUs() >= later.timeUs()
            && second.timeUs() <= later.endUs() + NotificationCauses.AFTER_US) {
          pairedWith[i] = earlier;
          pairedWith[j] = later;
          break;
        }
      }
    }
  }

  /** How much later than one span ended another must begin for the second's change to be known to come after it. */
  static final long ORDER_MARGIN_US = 2_000;

  /**
   * Unpairs a notification from its span when a change of the same key that began after that span ended was received
   * before it: Redis sends its events in the order it ran the commands, so the later one cannot be the earlier
   * span's. A Node DEL that removed nothing (its span says no reply) took an untraced DEL's del received after two
   * traced SETs of the key had begun and been reported.
   */
  static void inRedisOrder(List<NotificationRow> notifications, SpanRow[] pairedWith) {
    // per key and database, the latest start of a span whose pair was received after it began, over the notifications
    // received before the one at hand (in one pass: the notifications are in the order received); and the same per
    // service, whose one clock orders its own spans with no margin (a PEXPIRE that found no key took an untraced
    // DEL's del received after the same service's SET 1 ms later had begun and been reported)
    Map<String, long[]> latest = new java.util.HashMap<>();
    for (int i = 0; i < pairedWith.length; i++) {
      NotificationRow n = notifications.get(i);
      String place = n.key() + "/" + n.db();
      long[] state = advance(latest, place, n.timeUs());
      SpanRow s = pairedWith[i];
      long[] own = s == null ? null : advance(latest, place + "/" + s.service(), n.timeUs());
      if (s != null && (state[0] > s.endUs() + ORDER_MARGIN_US || own[0] > s.endUs())) {
        pairedWith[i] = null;
        s = null;
      }
      // w's pair is trusted only when received after w began: one in w's window before it began may be an earlier
      // change's (a MULTI 120 ms later took a SET's set, and then unpaired the EVAL's set in between)
      if (s != null && n.timeUs() >= s.timeUs()) {
        state[1] = Math.max(state[1], s.timeUs());
        long[] mine = advance(latest, place + "/" + s.service(), n.timeUs());
        mine[1] = Math.max(mine[1], s.timeUs());
      }
    }
  }

  /**
   * The state of {@code group} at the instant {@code atUs}: {the latest start before this instant, the latest start
   * at this instant, this instant}, moved on when {@code atUs} is later than its instant.
   */
  private static long[] advance(Map<String, long[]> latest, String group, long atUs) {
    long[] state = latest.computeIfAbsent(group, k -> new long[] {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE});
    if (atUs > state[2]) {
      state[0] = Math.max(state[0], state[1]);
      state[1] = Long.MIN_VALUE;
      state[2] = atUs;
    }
    return state;
  }

  /** How far apart a script's events of one key may be received: Redis runs a script whole and sends them together. */
  static final long SCRIPT_BURST_US = 2_000;

  /**
   * Unpairs a script's notifications received apart from the one nearest it: Redis runs a script without letting
   * another client's command in, so the events of one key it sends come together, and a later one within its window
   * (an untraced DEL 100 ms after an FCALL that wrote the key) is another command's.
   */
  static void burstOnly(List<NotificationRow> notifications, SpanRow[] pairedWith) {
    Map<SpanRow, Integer> nearest = new java.util.HashMap<>();
    for (int i = 0; i < pairedWith.length; i++) {
      SpanRow s = pairedWith[i];
      if (s != null && script(s)) {
        Integer k = nearest.get(s);
        if (k == null || SCRIPT_ORDER.compare(new long[] {notifications.get(i).timeUs(), s.timeUs(), s.endUs()},
            new long[] {notifications.get(k).timeUs(), s.timeUs(), s.endUs()}) < 0) {
          nearest.put(s, i);
        }
      }
    }
    for (int i = 0; i < pairedWith.length; i++) {
      SpanRow s = pairedWith[i];
      if (s != null && nearest.containsKey(s)
          && Math.abs(notifications.get(i).timeUs() - notifications.get(nearest.get(s)).timeUs()) > SCRIPT_BURST_US) {
        pairedWith[i] = null;
      }
    }
  }

  /**
   * Which of a script's events is surely its own, of two given as {received, span start, span end}: one received
   * after the span began (on one host a command's events cannot come before it), then the nearer its end. Nearest
   * alone took an untraced DEL's del received 0.9 ms before a short EVAL began, when the EVAL's own set came 3 ms after
   * it ended on a busy host.
   */
  private static final java.util.Comparator<long[]> SCRIPT_ORDER = java.util.Comparator
      .<long[]>comparingInt(x -> x[0] >= x[1] ? 0 : 1).thenComparingLong(x -> Math.abs(x[0] - x[2]));

  static boolean script(SpanRow s) {
    return s.operation() != null
        && NotificationCauses.SCRIPTS.contains(s.operation().toUpperCase(java.util.Locale.ROOT));
  }
}
