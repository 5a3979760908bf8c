package io.memtrace.collector.truth;

/**
 * The truth suite as a program, for runs longer than CI's ({@code bench/truth.sh}): the same properties as
 * {@link TruthSuiteIT}, the table and the first 100 unexpected wrong answers printed; exit status 1 when there are any.
 */
public final class TruthBench {

  private TruthBench() {
  }

  public static void main(String[] args) throws Exception {
    TruthSuite.Outcome outcome = TruthSuite.fromProperties();
    System.out.println(outcome.report(100));
    System.exit(outcome.unexpected().isEmpty() ? 0 : 1);
  }
}
