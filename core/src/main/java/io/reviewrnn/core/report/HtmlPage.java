package io.reviewrnn.core.report;

import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A self-contained HTML report page: headings, paragraphs, tables, preformatted text and PNG images embedded as
 * data URIs, so the one file can be mailed, archived or opened from HDFS with nothing beside it. Text is escaped;
 * the reports of {@code train}, {@code evaluate} and {@code experiments} are built with it. Not thread-safe.
 */
public final class HtmlPage {
    private final StringBuilder b = new StringBuilder();

    public HtmlPage(String title) {
        b.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1200px}"
                        + "table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;"
                        + "padding:4px 8px}td.n{text-align:right}img{max-width:49%}"
                        + "pre{background:#f6f6f6;padding:8px;overflow-x:auto}</style></head><body>\n")
                .append("<h1>").append(esc(title)).append("</h1>\n");
    }

    /** A heading of level 2 or 3. */
    public HtmlPage heading(int level, String text) {
        b.append("<h").append(level).append('>').append(esc(text)).append("</h").append(level).append(">\n");
        return this;
    }

    public HtmlPage paragraph(String text) {
        b.append("<p>").append(esc(text)).append("</p>\n");
        return this;
    }

    /** A table; cells from {@code numericFrom} on are right-aligned. */
    public HtmlPage table(List<String> header, List<List<String>> rows, int numericFrom) {
        b.append("<table>\n<tr>");
        header.forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
        b.append("</tr>\n");
        for (List<String> row : rows) {
            b.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                b.append(i < numericFrom ? "<td>" : "<td class=\"n\">").append(esc(row.get(i))).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        return this;
    }

    /** A two-column table of names and values. */
    public HtmlPage keyValues(Map<String, String> values) {
        b.append("<table>\n");
        values.forEach((k, v) -> b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v))
                .append("</td></tr>\n"));
        b.append("</table>\n");
        return this;
    }

    public HtmlPage preformatted(String text) {
        b.append("<pre>").append(esc(text)).append("</pre>\n");
        return this;
    }

    /** A PNG embedded in the page. */
    public HtmlPage image(byte[] png, String alt) {
        b.append("<img alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
        return this;
    }

    /** The finished page. */
    public String html() {
        return b + "</body></html>\n";
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
