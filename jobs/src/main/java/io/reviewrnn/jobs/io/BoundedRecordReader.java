package io.reviewrnn.jobs.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.jobs.Rdds;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads CSV, TSV, JSON Lines and text (one review per line), plain or compressed ({@code .gz}, {@code .bz2}, ...),
 * with memory bounded by {@code max_review_chars} whatever the input: a field or line over the limit is counted to
 * its end without being held and becomes a bad record with its reason ({@code review too long}), like any other
 * record the checks refuse ({@link RawRecords}). Spark's own readers materialize a whole field or line first, so
 * one 10^9-character field ended a job in {@code OutOfMemoryError}.
 *
 * <p>Parallelism: CSV and TSV records may span lines, so each file is read by one task (as Spark's multi-line CSV
 * reader does); uncompressed JSON Lines and text files are split into byte ranges, each task reading the lines that
 * start in its range (Hadoop's {@code LineRecordReader} rule); compressed files are read whole.
 *
 * <p>Ids, for input without an id column: {@code <file>#<record index>} for CSV/TSV (from 0, bad records counted),
 * {@code <file>@<byte offset of the line>} for JSON Lines and text: the same on every run and cluster.
 *
 * <p>Kept columns ({@code score}'s {@code keep_columns}) follow each row as strings ({@link RawReviews#schema}):
 * CSV/TSV columns named in the first file's header (a file without one gives null), JSON Lines keys (a record
 * without one gives null; objects and arrays as their JSON text). Their fields are bounded like any other.
 */
public final class BoundedRecordReader {
    private static final Logger LOG = LoggerFactory.getLogger(BoundedRecordReader.class);
    private static final List<String> TEXT_CANDIDATES = List.of("review", "text");
    private static final List<String> LABEL_CANDIDATES = List.of("sentiment", "label");
    /** Byte ranges of a split file are at least this long. */
    static final long MIN_SPLIT_BYTES = 4L << 20;
    /** Characters kept of a rejected record's text, for its snippet. */
    static final int SNIPPET = 200;
    /** Bytes a JSON line may have beyond 6 per review character (every character written as a \\u escape). */
    static final int JSON_OVERHEAD = 1 << 16;

    private BoundedRecordReader() {
    }

    /**
     * @param defaultSplit split of records without a split column ({@code train}, {@code test}, or null to score)
     * @param partitions partitions to spread the input over (fewer when there are fewer files or ranges)
     * @param labelsRequired an unknown label is a bad record (prepare, evaluate) rather than no label (score)
     */
    public static JavaRDD<Row> read(SparkSession spark, CorpusSource src, CorpusFormat format, String defaultSplit,
            int maxChars, int partitions, boolean labelsRequired) throws IOException {
        return read(spark, src, format, defaultSplit, maxChars, partitions, labelsRequired, List.of());
    }

    /**
     * As above, each row followed by the input's columns {@code kept} ({@link RawReviews#schema}); a CSV/TSV column
     * missing from the header is refused naming {@code keep_columns}.
     */
    public static JavaRDD<Row> read(SparkSession spark, CorpusSource src, CorpusFormat format, String defaultSplit,
            int maxChars, int partitions, boolean labelsRequired, List<String> kept) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Path path = new Path(src.path());
        FileSystem fs = path.getFileSystem(jsc.hadoopConfiguration());
        List<FileStatus> files = list(fs, path);
        FileOpener opener = FileOpener.of(fs, jsc);
        Columns columns = switch (format) {
            case CSV, TSV -> Columns.ofHeader(src, header(opener, opener.name(fs, files.get(0).getPath()),
                    separator(format), maxChars), src.path(), kept);
            case JSONL -> Columns.ofJson(src, kept);
            case TEXT -> Columns.ofText();
            default -> throw new IllegalArgumentException("not a line format: " + format.key());
        };
        String malformed = format == CorpusFormat.CSV || format == CorpusFormat.TSV
                ? "malformed " + format.key().toUpperCase(java.util.Locale.ROOT)
                        + " row (wrong number of fields or bad quoting)" : "malformed " + format.key() + " record";
        RawRecords records = new RawRecords(src, defaultSplit, maxChars, columns.labelled(), labelsRequired,
                malformed, columns.kept().size());
        List<Split> splits = splits(spark, fs, files, opener, format, partitions);
        LOG.info("reading {} {} file(s) of {} in {} range(s), at most {} characters per review", files.size(),
                format.key(), path, splits.size(), maxChars);
        Task task = new Task(opener, format, columns, records);
        return Rdds.mapPartitions(jsc.parallelize(splits, Math.max(1, Math.min(splits.size(), partitions))),
                task::read);
    }

    /** The visible files of {@code path} (a file, a directory or a glob), by path. */
    private static List<FileStatus> list(FileSystem fs, Path path) throws IOException {
        FileStatus[] matches = fs.globStatus(path);
        if (matches == null || matches.length == 0) {
            throw new FileNotFoundException("input path does not exist: " + fs.makeQualified(path));
        }
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus m : matches) {
            if (m.isDirectory()) {
                for (FileStatus c : fs.listStatus(m.getPath())) {
                    String name = c.getPath().getName();
                    if (c.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
                        files.add(c);
                    }
                }
            } else {
                files.add(m);
            }
        }
        if (files.isEmpty()) {
            throw new FileNotFoundException("no input files in " + fs.makeQualified(path));
        }
        files.sort(Comparator.comparing(f -> f.getPath().toString()));
        return files;
    }

    /** One file, or one byte range of an uncompressed line file. */
    record Split(String file, long start, long length, boolean whole) implements Serializable {
        String fileName() {
            return file.substring(file.lastIndexOf('/') + 1);
        }
    }

    private static List<Split> splits(SparkSession spark, FileSystem fs, List<FileStatus> files, FileOpener opener,
            CorpusFormat format, int partitions) throws IOException {
        long total = 0;
        for (FileStatus f : files) {
            total += f.getLen();
        }
        long maxBytes = spark.sparkContext().conf().getSizeAsBytes("spark.sql.files.maxPartitionBytes", "128m");
        long splitBytes = Math.min(maxBytes, Math.max(MIN_SPLIT_BYTES, total / Math.max(1, partitions)));
        boolean lines = format == CorpusFormat.JSONL || format == CorpusFormat.TEXT;
        List<Split> out = new ArrayList<>();
        for (FileStatus f : files) {
            String name = opener.name(fs, f.getPath());
            if (lines && !FileOpener.compressed(name) && f.getLen() > splitBytes) {
                for (long start = 0; start < f.getLen(); start += splitBytes) {
                    out.add(new Split(name, start, Math.min(splitBytes, f.getLen() - start), false));
                }
            } else {
                out.add(new Split(name, 0, f.getLen(), true));
            }
        }
        return out;
    }

    static char separator(CorpusFormat format) {
        return format == CorpusFormat.TSV ? '\t' : ',';
    }

    /** The header record of a CSV/TSV file, read on the driver (bounded as any record). */
    private static List<String> header(FileOpener opener, String file, char sep, int maxChars) throws IOException {
        try (InputStream in = opener.openDecompressed(file)) {
            CsvScanner csv = new CsvScanner(new InputStreamReader(in, StandardCharsets.UTF_8), sep);
            if (!csv.next(maxChars)) {
                throw new IOException(file + " is empty: expected a header line with the column names");
            }
            return headerNames(csv.fields());
        }
    }

    private static List<String> headerNames(List<String> fields) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            String n = fields.get(i) == null ? "_c" + i : fields.get(i);
            names.add(i == 0 && n.startsWith("\uFEFF") ? n.substring(1) : n); // a byte-order mark
        }
        return names;
    }

    /** Which fields hold text, label, id, split and rating, and which are kept after them. */
    record Columns(String text, String label, String id, String split, String rating, boolean labelled,
                   boolean json, List<String> kept) implements Serializable {

        static Columns ofHeader(CorpusSource src, List<String> header, String where, List<String> kept) {
            String text = pick(src.textColumn(), TEXT_CANDIDATES, header, "text_column", where);
            if (text == null) {
                throw new IllegalArgumentException(where + ": no text column; set text_column (columns are " + header
                        + ")");
            }
            String label = pick(src.labelColumn(), LABEL_CANDIDATES, header, "label_column", where);
            for (String k : kept) {
                if (!header.contains(k)) {
                    throw new ConfigException("keep_columns", k, "must name columns of " + where + " " + header);
                }
            }
            return new Columns(text, label, pick(src.idColumn(), List.of("id"), header, "id_column", where),
                    pick(src.splitColumn(), List.of("split"), header, "split_column", where),
                    pick(src.ratingColumn(), List.of("rating"), header, "rating_column", where), label != null, false,
                    List.copyOf(kept));
        }

        /** JSON Lines: a configured key, else the first candidate key a record actually has. */
        static Columns ofJson(CorpusSource src, List<String> kept) {
            return new Columns(src.textColumn(), src.labelColumn(), src.idColumn() == null ? "id" : src.idColumn(),
                    src.splitColumn() == null ? "split" : src.splitColumn(),
                    src.ratingColumn() == null ? "rating" : src.ratingColumn(), true, true, List.copyOf(kept));
        }

        static Columns ofText() {
            return new Columns("text", null, null, null, null, false, false, List.of());
        }

        private static String pick(String configured, List<String> candidates, List<String> header, String key,
                String where) {
            if (configured != null) {
                if (!header.contains(configured)) {
                    throw new IllegalArgumentException(where + ": " + key + " '" + configured
                            + "' is not a column (columns are " + header + ")");
                }
                return configured;
            }
            return candidates.stream().filter(header::contains).findFirst().orElse(null);
        }
    }

    /** The per-partition work: the records of each split of the partition, one after the other. */
    private static final class Task implements Serializable {
        private static final long serialVersionUID = 1L;
        private final FileOpener opener;
        private final CorpusFormat format;
        private final Columns columns;
        private final RawRecords records;

        Task(FileOpener opener, CorpusFormat format, Columns columns, RawRecords records) {
            this.opener = opener;
            this.format = format;
            this.columns = columns;
            this.records = records;
        }

        Iterator<Row> read(Iterator<Split> splits) {
            return new Iterator<>() {
                private Records current;

                @Override
                public boolean hasNext() {
                    try {
                        while (current == null || !current.hasNext()) {
                            if (current != null) {
                                current.close();
                                current = null;
                            }
                            if (!splits.hasNext()) {
                                return false;
                            }
                            current = open(splits.next());
                        }
                        return true;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return current.next();
                }
            };
        }

        private Records open(Split s) throws IOException {
            return switch (format) {
                case CSV, TSV -> new CsvRecords(s, opener, separator(format), columns, records);
                case JSONL -> new JsonRecords(s, opener, records, columns);
                default -> new TextRecords(s, opener, records);
            };
        }
    }

    /** The rows of one split; reads ahead by one. */
    private abstract static class Records implements Iterator<Row>, AutoCloseable {
        private Row next;
        private boolean done;

        /** The next row, or null at the end. */
        abstract Row read() throws IOException;

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                try {
                    next = read();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                done = next == null;
            }
            return next != null;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row r = next;
            next = null;
            return r;
        }

        @Override
        public abstract void close() throws IOException;
    }

    /** Lines of one split: those that start in its byte range (all of a whole file). */
    private abstract static class LineRecords extends Records {
        final Split split;
        final RawRecords records;
        private final InputStream in;
        final LineScanner lines;
        private final int cap;

        LineRecords(Split split, FileOpener opener, RawRecords records, int cap) throws IOException {
            this.split = split;
            this.records = records;
            this.cap = cap;
            if (split.whole()) {
                in = opener.openDecompressed(split.file());
            } else {
                in = opener.open(split.file());
                in.skipNBytes(split.start());
            }
            lines = new LineScanner(in, split.start());
            if (!split.whole() && split.start() > 0) {
                lines.next(0); // the line under way at the start belongs to the previous range
            }
        }

        @Override
        final Row read() throws IOException {
            while (lines.next(cap)) {
                if (!split.whole() && lines.lineStart() > split.start() + split.length()) {
                    return null;
                }
                Row r = row();
                if (r != null) {
                    return r;
                }
            }
            return null;
        }

        /** The row of the line just read, or null to skip it. */
        abstract Row row() throws IOException;

        String id() {
            return split.fileName() + "@" + lines.lineStart();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Text: one review per line (an empty line is an empty review). */
    private static final class TextRecords extends LineRecords {
        TextRecords(Split split, FileOpener opener, RawRecords records) throws IOException {
            super(split, opener, records, (int) Math.min(Integer.MAX_VALUE - 16, ReviewBytes.byteLimit(
                    records.maxChars())));
        }

        @Override
        Row row() {
            if (lines.truncated()) {
                return records.row(id(), null, null, null, lines.snippet(SNIPPET), split.fileName(), null,
                        records.tooLong("a line of " + lines.lineBytes() + " bytes"));
            }
            return records.row(id(), null, null, null, lines.text(), split.fileName(), null, null);
        }
    }

    /** JSON Lines: one object per line; blank lines are skipped (as Spark does). */
    private static final class JsonRecords extends LineRecords {
        private final Columns columns;
        private final ObjectMapper json;

        JsonRecords(Split split, FileOpener opener, RawRecords records, Columns columns) throws IOException {
            super(split, opener, records, (int) Math.min(Integer.MAX_VALUE - 16,
                    6L * records.maxChars() + JSON_OVERHEAD));
            this.columns = columns;
            this.json = new ObjectMapper(JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE).build()).build());
        }

        @Override
        Row row() {
            if (lines.truncated()) {
                return records.row(id(), null, null, null, lines.snippet(SNIPPET), split.fileName(), null,
                        records.tooLong("a record of " + lines.lineBytes() + " bytes"));
            }
            String line = lines.text();
            if (line.isBlank()) {
                return null;
            }
            JsonNode node;
            try {
                node = json.readTree(line);
            } catch (IOException e) {
                node = null;
            }
            if (node == null || !node.isObject()) {
                return records.row(id(), null, null, null, null, split.fileName(), line, null);
            }
            String text = columns.text() != null ? str(node, columns.text()) : first(node, TEXT_CANDIDATES);
            String label = columns.label() != null ? str(node, columns.label()) : first(node, LABEL_CANDIDATES);
            String id = str(node, columns.id());
            String[] kept = null;
            if (!columns.kept().isEmpty()) {
                kept = new String[columns.kept().size()];
                for (int i = 0; i < kept.length; i++) {
                    kept[i] = str(node, columns.kept().get(i));
                }
            }
            return records.row(id != null ? id : id(), str(node, columns.split()), label, str(node, columns.rating()),
                    text, split.fileName(), null, null, kept);
        }

        private static String first(JsonNode node, List<String> keys) {
            for (String k : keys) {
                String v = str(node, k);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }

        private static String str(JsonNode node, String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            return v.isValueNode() ? v.asText() : v.toString();
        }
    }

    /** CSV/TSV: a header, then one record per row; each file is one split. */
    private static final class CsvRecords extends Records {
        private final Split split;
        private final RawRecords records;
        private final Columns columns;
        private final InputStream in;
        private final CsvScanner csv;
        private final List<String> header;
        private final int text;
        private final int label;
        private final int id;
        private final int splitColumn;
        private final int rating;
        private final int[] kept;
        private long index;

        CsvRecords(Split split, FileOpener opener, char sep, Columns columns, RawRecords records) throws IOException {
            this.split = split;
            this.records = records;
            this.columns = columns;
            this.in = opener.openDecompressed(split.file());
            this.csv = new CsvScanner(new InputStreamReader(in, StandardCharsets.UTF_8), sep);
            // Spark takes the first line of every file as its header; columns are found by name in each file.
            this.header = csv.next(records.maxChars()) ? headerNames(csv.fields()) : List.of();
            this.text = header.indexOf(columns.text());
            this.label = columns.label() == null ? -1 : header.indexOf(columns.label());
            this.id = columns.id() == null ? -1 : header.indexOf(columns.id());
            this.splitColumn = columns.split() == null ? -1 : header.indexOf(columns.split());
            this.rating = columns.rating() == null ? -1 : header.indexOf(columns.rating());
            this.kept = new int[columns.kept().size()];
            for (int i = 0; i < kept.length; i++) {
                kept[i] = header.indexOf(columns.kept().get(i));
            }
        }

        @Override
        Row read() throws IOException {
            if (!csv.next(records.maxChars())) {
                return null;
            }
            String generated = split.fileName() + "#" + index++;
            String file = split.fileName();
            List<String> f = csv.fields();
            if (text < 0) {
                return records.row(generated, null, null, null, null, file, null, "no column " + columns.text()
                        + " in the header of " + file + " " + header);
            }
            if (csv.longField() >= 0) {
                String what = csv.longField() == text ? records.tooLong(csv.longFieldChars() + " chars")
                        : "field too long: column " + (csv.longField() < header.size() ? header.get(csv.longField())
                        : "#" + csv.longField()) + " has " + csv.longFieldChars()
                        + " chars, over max_review_chars " + records.maxChars();
                String t = text < f.size() && f.get(text) != null ? f.get(text) : null;
                return records.row(get(f, id, generated), null, null, null,
                        t == null ? null : t.substring(0, Math.min(SNIPPET, t.length())), file, null, what);
            }
            if (csv.malformed() || csv.fieldCount() != header.size()) {
                return records.row(generated, null, null, null, null, file, csv.raw(), null);
            }
            String[] keptValues = null;
            if (kept.length > 0) {
                keptValues = new String[kept.length];
                for (int i = 0; i < kept.length; i++) {
                    keptValues[i] = get(f, kept[i], null);
                }
            }
            return records.row(get(f, id, generated), get(f, splitColumn, null), get(f, label, null),
                    get(f, rating, null), f.get(text), file, null, null, keptValues);
        }

        private static String get(List<String> f, int i, String otherwise) {
            return i >= 0 && i < f.size() && f.get(i) != null ? f.get(i) : otherwise;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
