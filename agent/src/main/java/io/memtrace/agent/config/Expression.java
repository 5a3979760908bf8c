package io.memtrace.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A parsed rule expression: a root ({@code this}, {@code argN} or {@code return}), a dotted path of
 * fields, getters, record components or map keys, and an optional {@code != null} test. Parsing is
 * syntax only, part of reading the configuration; {@code instrumentation.method.ExpressionCompiler}
 * checks an expression against the instrumented method's types.
 */
public final class Expression {

  public enum Root { THIS, ARG, RETURN }

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");
  private static final Pattern ROOT_ARG = Pattern.compile("arg([0-9]+)");

  private final String text;
  private final Root root;
  private final int argIndex;
  private final List<String> path;
  private final boolean notNullTest;

  private Expression(String text, Root root, int argIndex, List<String> path, boolean notNullTest) {
    this.text = text;
    this.root = root;
    this.argIndex = argIndex;
    this.path = path;
    this.notNullTest = notNullTest;
  }

  /** True when {@code text} is meant as an expression rather than a constant. */
  public static boolean looksLikeExpression(String text) {
    String head = text.trim().split("[.\\s!]", 2)[0];
    return head.equals("this") || head.equals("return") || ROOT_ARG.matcher(head).matches();
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException with a message saying what is wrong
   */
  public static Expression parse(String text) {
    String body = text.trim();
    boolean notNull = false;
    if (body.contains("==")) {
      throw new IllegalArgumentException("only '!= null' can be tested; write the path alone for its value, or '"
          + body.substring(0, body.indexOf("==")).trim() + " != null' for whether it is there");
    }
    int bang = body.indexOf("!=");
    if (bang >= 0) {
      String right = body.substring(bang + 2).trim();
      if (!right.equals("null")) {
        throw new IllegalArgumentException("only '!= null' can follow a path, not '!= " + right + "'");
      }
      notNull = true;
      body = body.substring(0, bang).trim();
    }
    if (body.isEmpty()) {
      throw new IllegalArgumentException("is empty");
    }
    String[] parts = body.split("\\.", -1);
    Root root;
    int arg = -1;
    if (parts[0].equals("this")) {
      root = Root.THIS;
    } else if (parts[0].equals("return")) {
      root = Root.RETURN;
    } else {
      java.util.regex.Matcher m = ROOT_ARG.matcher(parts[0]);
      if (!m.matches()) {
        throw new IllegalArgumentException("must start with this, argN or return, not '" + parts[0] + "'");
      }
      root = Root.ARG;
      arg = m.group(1).length() > 2 ? Integer.MAX_VALUE : Integer.parseInt(m.group(1));
      if (arg >= io.memtrace.agent.bootstrap.MethodFrame.MAX_ARGS) {
        throw new IllegalArgumentException("can read arg0 to arg"
            + (io.memtrace.agent.bootstrap.MethodFrame.MAX_ARGS - 1) + ", not " + parts[0]);
      }
    }
    List<String> path = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      if (!SEGMENT.matcher(parts[i]).matches()) {
        throw new IllegalArgumentException("has an invalid path element '" + parts[i] + "'");
      }
      path.add(parts[i]);
    }
    return new Expression(text.trim(), root, arg, Collections.unmodifiableList(path), notNull);
  }

  public String text() {
    return text;
  }

  public Root root() {
    return root;
  }

  public int argIndex() {
    return argIndex;
  }

  public List<String> path() {
    return path;
  }

  public boolean notNullTest() {
    return notNullTest;
  }

  @Override
  public String toString() {
    return text;
  }
}
