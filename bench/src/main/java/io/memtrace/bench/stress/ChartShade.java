package io.memtrace.bench.stress;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import org.knowm.xchart.internal.chartpart.Annotation;

/**
 * A fault window drawn as a translucent band over the whole plot height, its label at the top.
 * XChart 4.0.3 has line, text and image annotations but no box, and an area series would need the
 * y range before the chart computes it; an annotation is painted after the series, in axis
 * coordinates, so a band can never be hidden and always spans the plot, whatever the data.
 */
final class ChartShade extends Annotation {

  private final String label;
  private final double from;
  private final double to;
  private final Color fill;
  /** Which label row, so that the labels of windows close together do not overprint each other. */
  private final int row;

  ChartShade(String label, double from, double to, Color fill, int row) {
    super(false);
    this.label = label == null ? "" : label;
    this.from = from;
    this.to = to;
    this.fill = fill;
    this.row = row;
  }

  @Override
  public void paint(Graphics2D g) {
    if (!isVisible) {
      return;
    }
    int left = getXAxisScreenValueForMin();
    int right = getXAxisScreenValueForMax();
    int x1 = Math.max(left, Math.min(right, getXAxisScreenValue(from)));
    int x2 = Math.max(left, Math.min(right, getXAxisScreenValue(to)));
    int top = getYAxisScreenValueForMin();
    int bottom = getYAxisScreenValueForMax();
    int width = Math.max(1, x2 - x1); // a window shorter than a pixel still shows
    g.setColor(fill);
    g.fillRect(x1, top, width, bottom - top);
    // the label opaque (the fill is translucent) and kept inside the plot when the band is at its edge
    g.setColor(new Color(fill.getRed(), fill.getGreen(), fill.getBlue()).darker().darker());
    g.setFont(g.getFont().deriveFont(Font.PLAIN, 12f));
    FontMetrics metrics = g.getFontMetrics();
    int textX = Math.max(left + 3, Math.min(x1 + 3, right - 3 - metrics.stringWidth(label)));
    g.drawString(label, textX, top + 3 + metrics.getAscent() + row * metrics.getHeight());
    bounds = new Rectangle2D.Double(x1, top, width, bottom - top);
  }
}
