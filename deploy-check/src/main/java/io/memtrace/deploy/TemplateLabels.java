package io.memtrace.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Label names used by the text around queries: alert annotations and Grafana legends. */
public final class TemplateLabels {

  private static final Pattern ALERT = Pattern.compile("\\$labels\\.([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern LEGEND = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

  private TemplateLabels() {
  }

  /** Label names an alert's annotations or labels refer to as {@code {{ $labels.name }}}. */
  public static Set<String> inAlertTemplate(String template) {
    return matches(ALERT, template);
  }

  /** Label names a Grafana legend refers to as {@code {{name}}}. */
  public static Set<String> inLegend(String legend) {
    return matches(LEGEND, legend);
  }

  private static Set<String> matches(Pattern pattern, String text) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = pattern.matcher(text == null ? "" : text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
