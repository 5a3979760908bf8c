package io.memtrace.collector.truth;

/**
 * The truth suite as a program, for runs longer than CI's ({@code bench/truth.sh}): the same properties as
 * {@link TruthSuiteIT}, the table and the first 100 unexpected wrong answers printed, then the run under the defaults
 * ({@link ExactByDefault}); exit status 1 when there are any, or unexplained differences.
 */
public final class TruthBench {

  private TruthBench() {
  }

  public static void main(String[] args) throws Exception {
    TruthSuite.Outcome outcome = TruthSuite.fromProperties();
    System.out.println(outcome.report(100));
    java.util.Optional<ExactByDefault.Run> defaults = ExactByDefault.fromProperties(outcome);
    defaults.ifPresent(d -> System.out.println(d.report()));
    boolean exact = defaults.map(d -> d.comparison().unexplained().isEmpty() && d.outcome().unexpected().isEmpty())
        .orElse(true);
    System.exit(outcome.unexpected().isEmpty() && exact ? 0 : 1);
  }
}
