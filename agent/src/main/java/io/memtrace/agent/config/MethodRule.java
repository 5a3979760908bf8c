package io.memtrace.agent.config;

import java.util.List;
import java.util.Map;

/**
 * One configured method: which methods of which types, the span it becomes, and the expressions
 * and constants that give its attributes. Built from a {@code memory-managers} or {@code tasks}
 * entry; expressions are checked for syntax here and against types when a class is transformed.
 */
public final class MethodRule {

  /**
   * MEMORY and TASK spans; MODEL: a model call ({@code operation: chat}), a GenAI client span;
   * HANDOFF ({@code operation: handoff}): no span, where a framework passes memory results on towards a
   * prompt (its messages and documents feed the provenance index); MODEL_STREAM: a model call that returns a
   * reactive stream ({@code operation: chat, stream: true}), whose span ends when the stream does;
   * MODEL_CALLBACK: a model call that streams to a handler, its last argument ({@code stream: handler}), whose
   * span ends when a STREAM_END method ({@code operation: stream-end}) is called on that handler, or when
   * after a STREAM_CHECK method ({@code operation: stream-check}, a partial response given a context as its
   * second argument) that context says the stream was cancelled.
   */
  public enum Kind { MEMORY, TASK, MODEL, MODEL_STREAM, MODEL_CALLBACK, STREAM_END, STREAM_CHECK, HANDOFF }

  private final Kind kind;
  private final String label;
  private final String typePattern;
  private final List<String> methodPatterns;
  private final String operation;
  private final String spanName;
  private final Map<String, String> expressions;
  private final String valueExpression;
  private final Map<String, String> constants;
  private final List<String> metricAttributes;
  private final List<String> argumentTypes;
  private final String valueSize;
  private final String genAiOperation;
  private final String profile;

  MethodRule(Kind kind, String label, String typePattern, List<String> methodPatterns,
      String operation, String spanName, Map<String, String> expressions, String valueExpression,
      Map<String, String> constants, List<String> metricAttributes) {
    this(kind, label, typePattern, methodPatterns, operation, spanName, expressions, valueExpression,
        constants, metricAttributes, null, null, null, null);
  }

  MethodRule(Kind kind, String label, String typePattern, List<String> methodPatterns,
      String operation, String spanName, Map<String, String> expressions, String valueExpression,
      Map<String, String> constants, List<String> metricAttributes, List<String> argumentTypes,
      String valueSize, String genAiOperation, String profile) {
    this.kind = kind;
    this.label = label;
    this.typePattern = typePattern;
    this.methodPatterns = List.copyOf(methodPatterns);
    this.operation = operation;
    this.spanName = spanName;
    this.expressions = Map.copyOf(expressions);
    this.valueExpression = valueExpression;
    this.constants = Map.copyOf(constants);
    this.metricAttributes = List.copyOf(metricAttributes);
    this.argumentTypes = argumentTypes == null ? null : List.copyOf(argumentTypes);
    this.valueSize = valueSize;
    this.genAiOperation = genAiOperation != null ? genAiOperation : GenAiOperations.of(operation);
    this.profile = profile;
  }

  public Kind kind() {
    return kind;
  }

  /** How messages name this rule: {@code memory-managers[0] com.x.Memory#store (line 7)}. */
  public String label() {
    return label;
  }

  /** Class or interface name, {@code *} globs allowed; subtypes are included. */
  public String typePattern() {
    return typePattern;
  }

  /** Method name globs. */
  public List<String> methodPatterns() {
    return methodPatterns;
  }

  /** The memory operation (store, retrieve, search, delete, ...); {@code null} for tasks. */
  public String operation() {
    return operation;
  }

  /**
   * The span name: for memory methods {@code {prefix}.memory.{operation}} unless set; for tasks
   * the configured template, where {@code {method}} and {@code {class}} are replaced.
   */
  public String spanName() {
    return spanName;
  }

  /** Attribute name to expression text ({@code memory.key -> arg0}). */
  public Map<String, String> expressions() {
    return expressions;
  }

  /** The expression whose result's size is {@code memory.value_size}, or {@code null}. */
  public String valueExpression() {
    return valueExpression;
  }

  /** Attribute name to constant value ({@code memory.layer -> cache}). */
  public Map<String, String> constants() {
    return constants;
  }

  /** Low-cardinality attributes added to this rule's metrics as dimensions. */
  public List<String> metricAttributes() {
    return metricAttributes;
  }

  /**
   * The parameter types an overload must have, in order, as class-name globs ({@code java.util.List},
   * {@code *.SearchRequest}); {@code null} when every overload of a matching name is meant.
   */
  public List<String> argumentTypes() {
    return argumentTypes;
  }

  /**
   * How {@code memory.value_size} is measured when the value is neither bytes nor text:
   * {@code text} (the UTF-8 size of the text it carries), {@code json}, {@code auto}, or
   * {@code null} for the global {@code capture.value-size}.
   */
  public String valueSize() {
    return valueSize;
  }

  /** {@code gen_ai.operation.name} for this rule's spans, or {@code null} when its operation has none. */
  public String genAiOperation() {
    return genAiOperation;
  }

  /** The built-in profile this rule comes from ({@code spring-ai}), or {@code null} for a user's rule. */
  public String profile() {
    return profile;
  }

  /** A copy that applies to {@code source}'s rules with a label naming it. */
  MethodRule fromProfile(String source) {
    return new MethodRule(kind, "profile " + source + ": " + label, typePattern, methodPatterns, operation,
        spanName, expressions, valueExpression, constants, metricAttributes, argumentTypes, valueSize,
        genAiOperation, source);
  }

  @Override
  public String toString() {
    return label;
  }
}
