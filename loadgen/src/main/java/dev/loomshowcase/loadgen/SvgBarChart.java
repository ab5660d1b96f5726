package dev.loomshowcase.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart as a standalone SVG file: one bar per row under its label, an optional
 * min–max whisker (the range of the repeats), the value printed at the end of the bar. Written by hand (no library, no network at render
 * time) so the charts in compare/results/ can be rebuilt anywhere.
 */
public final class SvgBarChart {

    /** One bar: its label, the value drawn, and the range of the repeats (or NaN). */
    public record Bar(String label, double value, double min, double max, String color) {
    }

    // Sized for a slide: the deck shows a chart in about 40 % of a 1280×720 slide (some 520 px
    // wide), where a 640-px chart is drawn at about 0.8 of its size, so 20-px text stays about 16 px.
    static final int WIDTH = 640;
    static final int FONT = 20;
    static final int TITLE_FONT = 24;
    private static final int LABEL_HEIGHT = 24;
    private static final int BAR_HEIGHT = 22;
    private static final int GAP = 12;
    private static final int TOP = 110;
    private static final int BOTTOM = 44;
    private static final int LEFT = 10;
    private static final int VALUE_WIDTH = 90;

    private final String title;
    private final String unit;
    private final boolean logScale;
    private final List<Bar> bars = new ArrayList<>();
    private String legend = "";

    /**
     * @param title    shown above the chart
     * @param unit     of the values, e.g. "ms" or "requests/s"
     * @param logScale whether the axis is logarithmic (for values spanning orders of magnitude)
     */
    public SvgBarChart(String title, String unit, boolean logScale) {
        this.title = title;
        this.unit = unit;
        this.logScale = logScale;
    }

    /** A line under the title saying what the colours mean. */
    public SvgBarChart legend(String legend) {
        this.legend = legend;
        return this;
    }

    public SvgBarChart add(String label, double value, double min, double max, String color) {
        bars.add(new Bar(label, value, min, max, color));
        return this;
    }

    public String render() {
        double top = bars.stream().mapToDouble(b -> Double.isNaN(b.max()) ? b.value() : Math.max(b.max(), b.value()))
                .max().orElse(1);
        top = top <= 0 ? 1 : top * 1.1;
        double bottom = logScale ? Math.max(0.1, bars.stream().mapToDouble(Bar::value).filter(v -> v > 0).min().orElse(1) / 2) : 0;
        int plotWidth = WIDTH - LEFT - VALUE_WIDTH;
        int row = LABEL_HEIGHT + BAR_HEIGHT + GAP;
        int height = TOP + bars.size() * row + BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"%d\">%n", WIDTH, height, WIDTH, height, FONT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"30\" font-size=\"%d\" font-weight=\"bold\">%s</text>%n",
                LEFT, TITLE_FONT, escape(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"58\" fill=\"#444\">%s%s; whiskers: min–max of the repeats</text>%n",
                LEFT, escape(unit), logScale ? ", log scale" : ""));
        if (!legend.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"84\" fill=\"#444\">%s</text>%n", LEFT, escape(legend)));
        }
        for (int tick = 0; tick <= 4; tick++) {
            double value = logScale ? bottom * Math.pow(top / bottom, tick / 4.0) : top * tick / 4.0;
            double x = LEFT + scale(value, bottom, top, plotWidth);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    x, TOP - 6, x, height - BOTTOM + 4));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\" fill=\"#444\">%s</text>%n",
                    x, height - BOTTOM + 26, tick == 0 ? "start" : "middle", number(value)));
        }
        int y = TOP;
        for (Bar bar : bars) {
            // The label goes above its bar, across the chart's width, so long case names stay large.
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n",
                    LEFT, y + LABEL_HEIGHT - 6, escape(bar.label())));
            int barTop = y + LABEL_HEIGHT;
            double width = scale(bar.value(), bottom, top, plotWidth);
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                    LEFT, barTop, Math.max(1, width), BAR_HEIGHT, bar.color()));
            if (!Double.isNaN(bar.min()) && !Double.isNaN(bar.max())) {
                double x1 = LEFT + scale(bar.min(), bottom, top, plotWidth);
                double x2 = LEFT + scale(bar.max(), bottom, top, plotWidth);
                int mid = barTop + BAR_HEIGHT / 2;
                svg.append(String.format(Locale.ROOT,
                        "<path d=\"M%.1f %d H%.1f M%.1f %d V%d M%.1f %d V%d\" stroke=\"#222\" fill=\"none\"/>%n",
                        x1, mid, x2, x1, mid - 6, mid + 6, x2, mid - 6, mid + 6));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-weight=\"bold\">%s</text>%n",
                    LEFT + Math.max(width, Double.isNaN(bar.max()) ? 0 : scale(bar.max(), bottom, top, plotWidth)) + 6,
                    barTop + BAR_HEIGHT - 4, number(bar.value())));
            y += row;
        }
        return svg.append("</svg>\n").toString();
    }

    private double scale(double value, double bottom, double top, int plotWidth) {
        if (logScale) {
            double v = Math.max(value, bottom);
            return plotWidth * Math.log(v / bottom) / Math.log(top / bottom);
        }
        return plotWidth * Math.max(0, value) / top;
    }

    private static String number(double value) {
        if (value >= 100 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
