package io.memtrace.collector.reader;

import java.util.List;

/**
 * The report a store gave.
 *
 * @param layer      the layer analysed, as a phrase ({@link Layer#description})
 * @param sections   every section, in the order shown
 * @param statements what the store ran to answer, in its own query language and in order, so a page can show the
 *                   statements behind its numbers
 */
public record Report(String layer, List<Section> sections, List<String> statements) {

  public Report {
    sections = List.copyOf(sections);
    statements = List.copyOf(statements);
  }
}
