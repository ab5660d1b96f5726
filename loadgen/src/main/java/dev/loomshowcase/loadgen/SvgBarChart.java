package dev.loomshowcase.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart as a standalone SVG file: one bar per row, an optional min–max whisker,
 * the value printed at the end of the bar. Written by hand (no library, no network at render
 * time) so the charts in compare/results/ can be rebuilt anywhere.
 */
public final class SvgBarChart {

    /** One bar: its label, the value drawn, and the range of the repeats (or NaN). */
    public record Bar(String label, double value, double min, double max, String color) {
    }

    private static final int WIDTH = 900;
    private static final int LABEL_WIDTH = 330;
    private static final int BAR_HEIGHT = 18;
    private static final int GAP = 8;
    private static final int TOP = 58;
    private static final int BOTTOM = 40;

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
        int plotWidth = WIDTH - LABEL_WIDTH - 90;
        int height = TOP + bars.size() * (BAR_HEIGHT + GAP) + BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"24\" font-size=\"16\" font-weight=\"bold\">%s</text>%n",
                escape(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"44\" fill=\"#555\">%s%s; whiskers: min–max of the repeats%s</text>%n",
                escape(unit), logScale ? ", log scale" : "", legend.isEmpty() ? "" : "; " + escape(legend)));
        for (int tick = 0; tick <= 4; tick++) {
            double value = logScale ? bottom * Math.pow(top / bottom, tick / 4.0) : top * tick / 4.0;
            double x = LABEL_WIDTH + scale(value, bottom, top, plotWidth);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    x, TOP - 6, x, height - BOTTOM + 4));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n",
                    x, height - BOTTOM + 20, number(value)));
        }
        int y = TOP;
        for (Bar bar : bars) {
            double width = scale(bar.value(), bottom, top, plotWidth);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LABEL_WIDTH - 8, y + BAR_HEIGHT - 5, escape(bar.label())));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                    LABEL_WIDTH, y, Math.max(1, width), BAR_HEIGHT, bar.color()));
            if (!Double.isNaN(bar.min()) && !Double.isNaN(bar.max())) {
                double x1 = LABEL_WIDTH + scale(bar.min(), bottom, top, plotWidth);
                double x2 = LABEL_WIDTH + scale(bar.max(), bottom, top, plotWidth);
                int mid = y + BAR_HEIGHT / 2;
                svg.append(String.format(Locale.ROOT,
                        "<path d=\"M%.1f %d H%.1f M%.1f %d V%d M%.1f %d V%d\" stroke=\"#222\" fill=\"none\"/>%n",
                        x1, mid, x2, x1, mid - 5, mid + 5, x2, mid - 5, mid + 5));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n",
                    LABEL_WIDTH + Math.max(width, Double.isNaN(bar.max()) ? 0 : scale(bar.max(), bottom, top, plotWidth)) + 6,
                    y + BAR_HEIGHT - 5, number(bar.value())));
            y += BAR_HEIGHT + GAP;
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
