package io.memtrace.collector.truth;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.truth.KeyModel.Place;
import io.memtrace.collector.truth.Step.Actor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link ExactByDefault}'s comparison on verdicts made by hand: what it calls the same answer, and which differences
 * it lets through. The two runs number their steps apart (run numbers 10.. and 50..), as two real runs do.
 */
class ExactByDefaultTest {

  private static final Place PLACE = new Place(4, "t7:a");

  /** A run of seed 7: its write (step 1) and its read (step 2) numbered from {@code first}, the read at 1 s. */
  private static TruthSuite.Outcome run(int first, Verdict verdict, Map<Integer, String> unstored) {
    return new TruthSuite.Outcome("", List.of(verdict), Map.of(), List.of(), Map.of(first, "7/1", first + 1, "7/2"),
        Map.of(first, 500L, first + 1, 1_000L), Map.of(first, Set.of("4/t7:a")), unstored);
  }

  private static ScenarioRunner.Read read(int first, Change truth) {
    return new ScenarioRunner.Read(7, 2, first + 1, PLACE, "v7.1", truth);
  }

  private static Verdict verdict(int first, Change truth, String outcome, String cause, String kind, Integer named) {
    return new Verdict("lineage", read(first, truth), outcome, cause, "claim", kind, null, named);
  }

  private static ExactByDefault.Comparison compare(Verdict full, Verdict defaults) {
    return ExactByDefault.compare(run(10, full, Map.of()), run(50, defaults, Map.of()));
  }

  private static Change tracedWrite(int first) {
    return new Change("write", Actor.TRACED, first, "SET");
  }

  @Test
  void shouldCallTheSameStepNamedInBothRunsTheSameAnswer() {
    ExactByDefault.Comparison c = compare(verdict(10, tracedWrite(10), "right", null, "seen write", 10),
        verdict(50, tracedWrite(50), "right", null, "seen write", 50));
    assertThat(c.pairs()).singleElement().satisfies(p -> assertThat(p.same()).isTrue());
    assertThat(c.unexplained()).isEmpty();
  }

  @Test
  void shouldFailAReadTheDefaultsAnswerCompressedWhateverFullCaptureSaid() {
    ExactByDefault.Comparison c = compare(verdict(10, tracedWrite(10), "unknown", "writer unknown", "writer unknown",
        null), verdict(50, tracedWrite(50), "unknown", "compressed", "compressed", null));
    assertThat(c.unexplained()).hasSize(1);
  }

  @Test
  void shouldFailAnUnknownUnderTheDefaultsForAWriteItsSpanNames() {
    ExactByDefault.Comparison c = compare(verdict(10, tracedWrite(10), "right", null, "seen write", 10),
        verdict(50, tracedWrite(50), "unknown", "writer not in store", "not_in_store", null));
    assertThat(c.unexplained()).as("a traced SET's span names its key: no listed cause").hasSize(1);
  }

  @Test
  void shouldLetThroughAnUnknownForAChangeKnownByItsNotificationAlone() {
    Change outside = new Change("write", Actor.OUTSIDE, 10, "SET");
    Change outsideThen = new Change("write", Actor.OUTSIDE, 50, "SET");
    ExactByDefault.Comparison c = compare(verdict(10, outside, "right", null, "saw outside write", null),
        verdict(50, outsideThen, "unknown", "writer not in store", "not_in_store", null));
    assertThat(c.unexplained()).isEmpty();
    assertThat(ExactByDefault.cause(c.pairs().get(0))).hasValueSatisfying(cause -> assertThat(cause.name())
        .isEqualTo("a change known by its notification alone"));
  }

  @Test
  void shouldLetThroughAnUnknownAfterANodeDeleteWhoseNotificationCameLate() {
    // seed 117 at 1,000 scenarios: the Node DEL's del received 15 ms after the read began, and ioredis records no reply
    Change node = new Change("delete", Actor.NODE, 10, "DEL");
    ExactByDefault.Comparison c = compare(verdict(10, node, "right", null, "seen delete", 10),
        verdict(50, new Change("delete", Actor.NODE, 50, "DEL"), "unknown", "miss unknown", "miss unknown", null));
    assertThat(c.unexplained()).isEmpty();
    Change traced = new Change("delete", Actor.TRACED, 10, "DEL");
    assertThat(compare(verdict(10, traced, "right", null, "seen delete", 10), verdict(50,
        new Change("delete", Actor.TRACED, 50, "DEL"), "unknown", "miss unknown", "miss unknown", null)).unexplained())
        .as("a traced DEL's span says what it removed").hasSize(1);
  }

  @Test
  void shouldLetThroughTheTimelinesUnknownForAWriteReportedRightAfterTheRead() {
    // seed 20 under the defaults at load 17-25: an untraced RENAME into the key four steps after the read, its
    // rename_to received 164 ms after the read began; at full capture the RENAME found no key and nothing was reported
    Verdict full = new Verdict("timeline", read(10, tracedWrite(10)), "right", null, "saw step #10", "saw traced write",
        "SET", 10);
    String late = "saw {\"by\":\"unknown\",\"what\":\"unseen\",\"maybe\":\"Redis reported a write of the key at "
        + "2026-12-02T05:48:10.285222Z (unknown: moved or copied here (rename_to) ...), 164.323 ms after the read "
        + "began: a busy watcher receives events late, so it may be what the read found\"}";
    ExactByDefault.Comparison c = compare(full, new Verdict("timeline", read(50, tracedWrite(50)), "unknown",
        "writer unknown", late, "writer unknown", null, null));
    assertThat(c.unexplained()).isEmpty();
    assertThat(ExactByDefault.cause(c.pairs().get(0))).hasValueSatisfying(cause -> assertThat(cause.name())
        .isEqualTo("two changes of the key within 250 ms"));
    assertThat(compare(full, new Verdict("timeline", read(50, tracedWrite(50)), "unknown", "writer unknown",
        "saw {\"by\":\"unknown\",\"what\":\"write\"}", "writer unknown", null, null)).unexplained())
        .as("a writer the timeline cannot name for another reason (retention's counts) has no listed cause").hasSize(1);
  }

  @Test
  void shouldLetThroughTheTimelinesOpenOwnerBesideAnUntracedWholeDatabaseUnknown() {
    // seed 73 at CI size, load 7: an untraced SET of the key, an untraced SWAPDB and a traced pipeline's SET of it in
    // three quick steps; full capture: the SWAPDB's window overlapped the write (whole database); the defaults: the
    // SET's notifications received while the pipeline ran leave which is its own open
    Verdict full = new Verdict("timeline", read(10, tracedWrite(10)), "unknown", "whole database", "saw {\"by\":"
        + "\"unknown\",\"what\":\"whole_db\",\"maybe\":\"SWAPDB sent by a client memtrace does not trace ran ...\"}",
        "unknown_whole_db", null, null);
    String open = "saw {\"by\":\"unknown\",\"what\":\"write\",\"maybe\":\"SET by truth-java (trace b92d)\","
        + "\"unsure\":\"it may be the change of SET by truth-java (trace b92d), which ended before it was received, or a "
        + "later command's: another change of the key received while that command ran or after it ended leaves which "
        + "is its own open\"}";
    Verdict defaults = new Verdict("timeline", read(50, tracedWrite(50)), "unknown", "writer unknown", open,
        "writer unknown", null, null);
    assertThat(compare(full, defaults).unexplained()).as("no other change of the key near it by the suite's clock")
        .hasSize(1);
    // the untraced SET of the key (run 52) 50 ms before the write the read saw
    ExactByDefault.Comparison c = ExactByDefault.compare(run(10, full, Map.of()), new TruthSuite.Outcome("",
        List.of(defaults), Map.of(), List.of(), Map.of(50, "7/1", 51, "7/2", 52, "7/0"), Map.of(50, 500L, 51, 1_000L,
        52, 450L), Map.of(50, Set.of("4/t7:a"), 52, Set.of("4/t7:a")), Map.of()));
    assertThat(c.unexplained()).isEmpty();
    assertThat(ExactByDefault.cause(c.pairs().get(0))).hasValueSatisfying(cause -> assertThat(cause.name())
        .isEqualTo("two changes of the key within 250 ms"));
  }

  @Test
  void shouldLetThroughTheTimelinesUnseenChangeOnlyForAChangeKnownByItsNotificationAlone() {
    // seed 61 at CI size, load 7: an untraced SET PX 50 after an eviction flood, read at once; right at full capture,
    // under the defaults its notification was not placed before the read: the found value's size is not the last
    // traced write's
    String unseen = "saw {\"by\":\"unknown\",\"what\":\"unseen\",\"maybe\":\"the value found (7 B) is not the 14 B "
        + "SET by truth-java (trace 53e6) wrote at 2026-12-02T13:10:23.400709Z: a change memtrace has no record of "
        + "came after it\"}";
    Change outside = new Change("write", Actor.OUTSIDE, 10, "SET");
    ExactByDefault.Comparison c = compare(new Verdict("timeline", read(10, outside), "right", null, "saw outside",
        "saw outside write", null, null), new Verdict("timeline", read(50, new Change("write", Actor.OUTSIDE, 50, "SET")),
        "unknown", "writer unknown", unseen, "writer unknown", null, null));
    assertThat(c.unexplained()).isEmpty();
    assertThat(ExactByDefault.cause(c.pairs().get(0))).hasValueSatisfying(cause -> assertThat(cause.name())
        .isEqualTo("a change known by its notification alone"));
    assertThat(compare(new Verdict("timeline", read(10, tracedWrite(10)), "right", null, "saw step #10",
        "saw traced write", "SET", 10), new Verdict("timeline", read(50, tracedWrite(50)), "unknown", "writer unknown",
        unseen, "writer unknown", null, null)).unexplained())
        .as("a traced SET's span (or key event) names its key: unseen under the defaults is a loss").hasSize(1);
  }

  @Test
  void shouldNotCompareAReadWhoseTruthDiffersBetweenTheRuns() {
    ExactByDefault.Comparison c = compare(verdict(10, tracedWrite(10), "right", null, "seen write", 10),
        verdict(50, Change.redis("evicted"), "right", null, "miss evicted", null));
    assertThat(c.pairs()).isEmpty();
    assertThat(c.notCompared()).isEqualTo(1);
  }

  @Test
  void shouldFailANamedStepThatDiffersByItsPlaceInTheScenario() {
    // the defaults' answer names run 50, step 7/1 in that run; full capture's names the read itself (7/2)
    ExactByDefault.Comparison c = compare(verdict(10, tracedWrite(10), "right", null, "seen write", 11),
        verdict(50, tracedWrite(50), "right", null, "seen write", 50));
    assertThat(c.pairs().get(0).same()).isFalse();
    assertThat(c.unexplained()).hasSize(1);
  }
}
