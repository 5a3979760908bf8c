package com.acme.fleet;

import java.util.List;
import java.util.Map;

/** What qe-test-generator produces and the rest of the fleet reads back. */
public record TestPlan(String testSuite, List<TestCase> tests, Map<String, Integer> coverage, long generated) {
}
