package io.reviewrnn.jobs.io;

import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.jobs.Rdds;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.DummyRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Reads the model input of a prepared split (label, token ids, token and OOV counts, truncated) straight from its
 * Parquet files with parquet-hadoop's column readers, one task per file. Going around Spark SQL saves its session
 * state, the job that infers the schema and the code generation: on a fresh JVM those cost about 2 s, more than
 * scoring IMDB's 25,000 test reviews. Rows hold {@link #LABEL}, {@link #IDS} (an {@code int[]}),
 * {@link #TOKEN_COUNT}, {@link #OOV_COUNT} and {@link #TRUNCATED}; they are for the tasks' own use, not a DataFrame.
 */
public final class PreparedSplitReader {
    public static final int LABEL = 0;
    public static final int IDS = 1;
    public static final int TOKEN_COUNT = 2;
    public static final int OOV_COUNT = 3;
    public static final int TRUNCATED = 4;
    private static final String[] COLUMNS = {PreparedLayout.COL_LABEL, PreparedLayout.COL_IDS,
        PreparedLayout.COL_TOKEN_COUNT, PreparedLayout.COL_OOV_COUNT, PreparedLayout.COL_TRUNCATED};

    private PreparedSplitReader() {
    }

    /** The rows of the split directory {@code split}, one partition per Parquet file, in file name order. */
    public static JavaRDD<Row> read(JavaSparkContext jsc, Path split) throws IOException {
        FileSystem fs = split.getFileSystem(jsc.hadoopConfiguration());
        FileOpener opener = FileOpener.of(fs, jsc);
        List<String> names = new ArrayList<>();
        for (FileStatus f : fs.listStatus(split)) {
            String n = f.getPath().getName();
            if (f.isFile() && n.endsWith(".parquet") && !n.startsWith("_") && !n.startsWith(".")) {
                names.add(opener.name(fs, f.getPath()));
            }
        }
        if (names.isEmpty()) {
            throw new FileNotFoundException("no Parquet files in the prepared split " + fs.makeQualified(split));
        }
        java.util.Collections.sort(names);
        return Rdds.mapPartitions(jsc.parallelize(names, names.size()), it -> new FileRows(opener, it));
    }

    /** The rows of the files named by {@code names}, file after file, row group after row group. */
    private static final class FileRows implements Iterator<Row> {
        private final FileOpener opener;
        private final Iterator<String> names;
        private ParquetFileReader file;
        private String name;
        private MessageType projection;
        private ColumnReader[] columns;
        private int listLevel;
        private long left;

        FileRows(FileOpener opener, Iterator<String> names) {
            this.opener = opener;
            this.names = names;
            org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
            if (task != null) { // a task that fails or stops reading early still closes its file
                task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> close());
            }
        }

        private void close() {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException e) {
                    // the task is over; nothing was written through this reader
                }
                file = null;
            }
        }

        @Override
        public boolean hasNext() {
            try {
                while (left == 0) {
                    if (file != null) {
                        PageReadStore group = file.readNextRowGroup();
                        if (group != null) {
                            startRowGroup(group);
                            continue;
                        }
                        file.close();
                        file = null;
                    }
                    if (!names.hasNext()) {
                        return false;
                    }
                    open(names.next());
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + name, e);
            }
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            left--;
            int label = intValue(columns[0]);
            int[] ids = list(columns[1]);
            return RowFactory.create(label, ids, intValue(columns[2]), intValue(columns[3]), boolValue(columns[4]));
        }

        private void open(String n) throws IOException {
            name = n;
            InputFile in = opener.inputFile(n);
            file = ParquetFileReader.open(in);
            MessageType schema = file.getFooter().getFileMetaData().getSchema();
            List<Type> fields = new ArrayList<>();
            for (String c : COLUMNS) {
                if (!schema.containsField(c)) {
                    throw new IOException("prepared split file " + n + " has no column '" + c + "' (columns: "
                            + schema.getFields().stream().map(Type::getName).toList() + ")");
                }
                fields.add(schema.getType(c));
            }
            projection = new MessageType(schema.getName(), fields);
            file.setRequestedSchema(projection);
            columns = new ColumnReader[COLUMNS.length];
            listLevel = -1;
        }

        private void startRowGroup(PageReadStore group) throws IOException {
            ColumnReadStoreImpl store = new ColumnReadStoreImpl(group,
                    new DummyRecordConverter(projection).getRootConverter(), projection,
                    file.getFileMetaData().getCreatedBy());
            for (int i = 0; i < COLUMNS.length; i++) {
                ColumnDescriptor d = leaf(COLUMNS[i]);
                columns[i] = store.getColumnReader(d);
                if (i == 1) {
                    listLevel = d.getMaxDefinitionLevel();
                }
            }
            left = group.getRowCount();
        }

        /** The one primitive column under the top-level field {@code name}. */
        private ColumnDescriptor leaf(String field) throws IOException {
            for (ColumnDescriptor d : projection.getColumns()) {
                if (d.getPath()[0].equals(field)) {
                    PrimitiveType.PrimitiveTypeName t = d.getPrimitiveType().getPrimitiveTypeName();
                    boolean ok = field.equals(PreparedLayout.COL_TRUNCATED) ? t == PrimitiveType.PrimitiveTypeName.BOOLEAN
                            : t == PrimitiveType.PrimitiveTypeName.INT32;
                    if (!ok) {
                        throw new IOException("prepared split file " + name + ": column '" + field + "' is " + t);
                    }
                    return d;
                }
            }
            throw new IOException("prepared split file " + name + " has no column '" + field + "'");
        }

        private static int intValue(ColumnReader c) {
            int v = c.getInteger();
            c.consume();
            return v;
        }

        private static boolean boolValue(ColumnReader c) {
            boolean v = c.getBoolean();
            c.consume();
            return v;
        }

        /** One record's list: its first entry starts the record (repetition level 0), the rest repeat it. */
        private int[] list(ColumnReader c) {
            if (c.getCurrentDefinitionLevel() < listLevel) { // an empty (or null) list: one entry, no value
                c.consume();
                return new int[0];
            }
            int[] buf = new int[64];
            int n = 0;
            do {
                if (n == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, 2 * n);
                }
                buf[n++] = c.getInteger();
                c.consume();
            } while (c.getCurrentRepetitionLevel() > 0); // 0 starts the next record, or the column is done
            return java.util.Arrays.copyOf(buf, n);
        }
    }
}
