package io.memtrace.bench.jedissuite;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The outcome of every test case in one directory of Surefire's {@code TEST-*.xml} reports, keyed
 * {@code class#method}. Read from the XML rather than the console so that a test reported twice, or a
 * parameterized case, is still one row; a name that repeats within a class gets {@code #2}, {@code #3}.
 */
final class SurefireReports {

  /** What Surefire records for a test case. */
  enum Status { PASS, FAIL, ERROR, SKIP }

  /** A test case's status and, unless it passed, the first line of what Surefire recorded about it. */
  record Outcome(String testClass, Status status, String message) {
  }

  private SurefireReports() {
  }

  /** Every test case of the directory's reports, in file and document order. */
  static Map<String, Outcome> read(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> reports = Files.newDirectoryStream(dir, "TEST-*.xml")) {
      reports.forEach(files::add);
    }
    files.sort(null);
    Map<String, Outcome> cases = new LinkedHashMap<>();
    for (Path file : files) {
      NodeList testCases = parse(file).getElementsByTagName("testcase");
      for (int i = 0; i < testCases.getLength(); i++) {
        Element testCase = (Element) testCases.item(i);
        String testClass = testCase.getAttribute("classname");
        String id = testClass + "#" + testCase.getAttribute("name");
        String unique = id;
        for (int n = 2; cases.containsKey(unique); n++) {
          unique = id + "#" + n;
        }
        cases.put(unique, outcome(testClass, testCase));
      }
    }
    return cases;
  }

  private static Element parse(Path file) throws IOException {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    } catch (Exception e) {
      throw new IOException("cannot read the Surefire report " + file + ": " + e.getMessage(), e);
    }
  }

  private static Outcome outcome(String testClass, Element testCase) {
    for (Node child = testCase.getFirstChild(); child != null; child = child.getNextSibling()) {
      Status status = switch (child.getNodeName()) {
        case "failure" -> Status.FAIL;
        case "error" -> Status.ERROR;
        case "skipped" -> Status.SKIP;
        default -> null;
      };
      if (status != null) {
        return new Outcome(testClass, status, firstLine((Element) child));
      }
    }
    return new Outcome(testClass, Status.PASS, "");
  }

  private static String firstLine(Element problem) {
    String text = problem.getAttribute("message");
    if (text.isBlank()) {
      text = problem.getAttribute("type");
    }
    if (text.isBlank()) {
      text = problem.getTextContent();
    }
    String line = text.strip().lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
