package org.openigc.server.dashboards;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import org.openigc.ca.Usage;
import org.openigc.identifiers.Region;

/** Server-side SVG charts (no script, no CDN): the markup is built here and escaped, then inserted as is. */
public final class DashboardCharts {
    private static final String[] COLOURS = {"#000091", "#e1000f", "#18753c", "#b34000", "#6a6af4", "#716043", "#929292"};
    private static final String[] MONTHS = {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
            "oct.", "nov.", "déc."};

    private DashboardCharts() {
    }

    /** Stacked bars: active certificates ending in each of the 12 months from {@code from}, one colour per usage. */
    public static String expiringPerMonth(Map<String, Map<String, Long>> months, YearMonth from) {
        List<String> usages = new java.util.ArrayList<>(java.util.Arrays.stream(Usage.values()).map(Enum::name).toList());
        usages.add("?");
        long max = 1;
        for (int i = 0; i < 12; i++) {
            max = Math.max(max, months.getOrDefault(from.plusMonths(i).toString(), Map.of()).values().stream()
                    .mapToLong(Long::longValue).sum());
        }
        int width = 720, height = 300, left = 40, bottom = 250, barWidth = 40, step = 52;
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" class=\"chart\" "
                + "viewBox=\"0 0 " + width + " " + height + "\" aria-labelledby=\"chart-expiry-title\">"
                + "<title id=\"chart-expiry-title\">Certificats arrivant à échéance par mois et par usage</title>");
        svg.append(line(left, bottom, width - 10, bottom)).append(text(left - 6, 20, String.valueOf(max), "end"));
        for (int i = 0; i < 12; i++) {
            YearMonth month = from.plusMonths(i);
            Map<String, Long> perUsage = months.getOrDefault(month.toString(), Map.of());
            int x = left + 8 + i * step;
            double y = bottom;
            long total = 0;
            for (int u = 0; u < usages.size(); u++) {
                long n = perUsage.getOrDefault(usages.get(u), 0L);
                if (n == 0) {
                    continue;
                }
                total += n;
                double h = (bottom - 20) * (double) n / max;
                y -= h;
                svg.append("<rect x=\"").append(x).append("\" y=\"").append(fmt(y)).append("\" width=\"").append(barWidth)
                        .append("\" height=\"").append(fmt(h)).append("\" fill=\"").append(COLOURS[u % COLOURS.length])
                        .append("\"><title>").append(escape(MONTHS[month.getMonthValue() - 1] + " " + month.getYear()
                                + " — " + usages.get(u) + " : " + n)).append("</title></rect>");
            }
            if (total > 0) {
                svg.append(text(x + barWidth / 2, (int) y - 4, String.valueOf(total), "middle"));
            }
            svg.append(text(x + barWidth / 2, bottom + 16, MONTHS[month.getMonthValue() - 1], "middle"));
        }
        int lx = left;
        for (int u = 0; u < usages.size() - 1; u++) {
            svg.append("<rect x=\"").append(lx).append("\" y=\"282\" width=\"10\" height=\"10\" fill=\"")
                    .append(COLOURS[u]).append("\"/>").append(text(lx + 14, 291, usages.get(u), "start"));
            lx += 105;
        }
        return svg.append("</svg>").toString();
    }

    /** Horizontal stacked bars per région: structures with an active DMP pair (ORG AUTH_CLI + ORG SIGN) vs without. */
    public static String coverageByRegion(Map<String, long[]> coverage) {
        int rowHeight = 24, left = 190, width = 720, barMax = 460;
        int height = 40 + rowHeight * Math.max(coverage.size(), 1);
        long max = coverage.values().stream().mapToLong(c -> c[0] + c[1]).max().orElse(1);
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" class=\"chart\" "
                + "viewBox=\"0 0 " + width + " " + height + "\" aria-labelledby=\"chart-coverage-title\">"
                + "<title id=\"chart-coverage-title\">Couverture DMP par région</title>");
        int y = 10;
        for (Map.Entry<String, long[]> entry : coverage.entrySet()) {
            String label = Region.byInseeCode(entry.getKey()).map(Region::label).orElse(entry.getKey());
            long with = entry.getValue()[0], without = entry.getValue()[1];
            double w1 = barMax * (double) with / max, w2 = barMax * (double) without / max;
            svg.append(text(left - 6, y + 15, label, "end"));
            svg.append("<rect x=\"").append(left).append("\" y=\"").append(y + 3).append("\" width=\"").append(fmt(w1))
                    .append("\" height=\"16\" fill=\"#18753c\"><title>").append(escape(label + " — avec paire DMP : " + with))
                    .append("</title></rect>");
            svg.append("<rect x=\"").append(fmt(left + w1)).append("\" y=\"").append(y + 3).append("\" width=\"")
                    .append(fmt(w2)).append("\" height=\"16\" fill=\"#ce614a\"><title>")
                    .append(escape(label + " — sans paire DMP : " + without)).append("</title></rect>");
            svg.append(text((int) (left + w1 + w2 + 6), y + 15, with + " / " + (with + without), "start"));
            y += rowHeight;
        }
        svg.append("<rect x=\"").append(left).append("\" y=\"").append(y + 8).append("\" width=\"10\" height=\"10\" fill=\"#18753c\"/>")
                .append(text(left + 14, y + 17, "avec paire DMP active (ORG AUTH_CLI + ORG SIGN)", "start"))
                .append("<rect x=\"").append(left + 330).append("\" y=\"").append(y + 8)
                .append("\" width=\"10\" height=\"10\" fill=\"#ce614a\"/>").append(text(left + 344, y + 17, "sans", "start"));
        return svg.append("</svg>").toString();
    }

    /** Bucket labels of {@link DashboardRepository#PROCESSING_BUCKETS}. */
    static final String[] PROCESSING_LABELS = {"< 1 j", "1 à 3 j", "3 à 7 j", "7 à 15 j", "15 à 30 j", "≥ 30 j"};

    /**
     * Grouped bars per duration bucket: form 413 dossiers decided in the last 12 months by time from submission to
     * decision, and dossiers still pending by age.
     */
    public static String processingTimes(long[] decided, long[] pending) {
        int width = 720, height = 280, left = 40, bottom = 230, step = 110, barWidth = 36;
        long max = 1;
        for (int i = 0; i < decided.length; i++) {
            max = Math.max(max, Math.max(decided[i], pending[i]));
        }
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" class=\"chart\" "
                + "viewBox=\"0 0 " + width + " " + height + "\" aria-labelledby=\"chart-413-title\">"
                + "<title id=\"chart-413-title\">Délais de traitement des dossiers 413</title>");
        svg.append(line(left, bottom, width - 10, bottom)).append(text(left - 6, 20, String.valueOf(max), "end"));
        for (int i = 0; i < decided.length; i++) {
            int x = left + 10 + i * step;
            long[] values = {decided[i], pending[i]};
            String[] colours = {"#000091", "#e1000f"};
            String[] names = {"traités", "en attente"};
            for (int k = 0; k < 2; k++) {
                double h = (bottom - 20) * (double) values[k] / max;
                int bx = x + k * (barWidth + 4);
                svg.append("<rect x=\"").append(bx).append("\" y=\"").append(fmt(bottom - h)).append("\" width=\"")
                        .append(barWidth).append("\" height=\"").append(fmt(h)).append("\" fill=\"").append(colours[k])
                        .append("\"><title>").append(escape(PROCESSING_LABELS[i] + " — " + names[k] + " : " + values[k]))
                        .append("</title></rect>");
                if (values[k] > 0) {
                    svg.append(text(bx + barWidth / 2, (int) (bottom - h) - 4, String.valueOf(values[k]), "middle"));
                }
            }
            svg.append(text(x + barWidth + 2, bottom + 16, PROCESSING_LABELS[i], "middle"));
        }
        svg.append("<rect x=\"").append(left).append("\" y=\"252\" width=\"10\" height=\"10\" fill=\"#000091\"/>")
                .append(text(left + 14, 261, "traités sur 12 mois (dépôt → décision)", "start"))
                .append("<rect x=\"").append(left + 300).append("\" y=\"252\" width=\"10\" height=\"10\" fill=\"#e1000f\"/>")
                .append(text(left + 314, 261, "en attente (ancienneté depuis l'accusé de réception)", "start"));
        return svg.append("</svg>").toString();
    }

    private static String line(int x1, int y1, int x2, int y2) {
        return "<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\" stroke=\"#666\"/>";
    }

    private static String text(int x, int y, String value, String anchor) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" font-size=\"11\" text-anchor=\"" + anchor + "\">" + escape(value) + "</text>";
    }

    private static String fmt(double value) {
        return String.format(java.util.Locale.ROOT, "%.1f", value);
    }

    static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
