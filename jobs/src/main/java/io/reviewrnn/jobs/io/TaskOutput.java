package io.reviewrnn.jobs.io;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.types.StructType;
import org.datavec.spark.util.BroadcastHadoopConfigHolder;
import org.datavec.spark.util.SerializableHadoopConfig;

/**
 * Files written by the tasks of one Spark job and committed by the driver, so that what is committed is exactly what
 * the job's results describe. Each task attempt writes its own files under {@code _attempts/}, named after the
 * partition and the attempt, so a retried or speculative attempt never collides with another; the driver then
 * moves the files of the one attempt per partition whose result Spark delivered into place
 * ({@code <output>/part-NNNNN<ext>}) and deletes the rest. Counts returned with a task's result therefore describe
 * committed files, never a failed attempt's. Shipped to tasks; the Hadoop configuration travels as DataVec's
 * broadcast.
 */
public final class TaskOutput implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String ATTEMPTS = "_attempts";

    private final Broadcast<SerializableHadoopConfig> conf;
    private final String root;

    /** Files under {@code root} (the uncommitted output directory). */
    public TaskOutput(JavaSparkContext jsc, Path root) {
        this.conf = BroadcastHadoopConfigHolder.get(jsc);
        this.root = root.toString();
    }

    /** Opens this task attempt's file of {@code output} (a subdirectory name); its path is the sink's {@link Opened#file}. */
    public Opened open(String output, int partition, OutputFormat format, StructType schema) throws IOException {
        long attempt = TaskContext.get() == null ? 0 : TaskContext.get().taskAttemptId();
        Path file = new Path(new Path(new Path(root, ATTEMPTS), output),
                String.format("part-%05d-%d%s", partition, attempt, format.extension()));
        FileSystem fs = file.getFileSystem(conf.value().getConfiguration());
        return new Opened(file.toString(), format.open(fs, file, schema));
    }

    /** A sink and the file it writes. */
    public record Opened(String file, RowSink sink) {
    }

    /**
     * Moves each partition's committed attempt files into place and deletes the other attempts' files.
     *
     * @param files per partition (in partition order), output name to attempt file
     */
    public static void commit(FileSystem fs, Path root, List<Map<String, String>> files) throws IOException {
        for (int p = 0; p < files.size(); p++) {
            for (Map.Entry<String, String> f : new TreeMap<>(files.get(p)).entrySet()) {
                Path from = new Path(f.getValue());
                String name = from.getName();
                String ext = name.substring(name.indexOf('.'));
                Path to = new Path(new Path(root, f.getKey()), String.format("part-%05d%s", p, ext));
                fs.mkdirs(to.getParent());
                if (!fs.rename(from, to)) {
                    throw new IOException("cannot move " + from + " to " + to);
                }
            }
        }
        fs.delete(new Path(root, ATTEMPTS), true);
    }

    /** Makes {@code root/output} a readable, empty output of {@code format} when no task wrote a file to it. */
    public static void ensureExists(FileSystem fs, Path root, String output, OutputFormat format, StructType schema)
            throws IOException {
        Path dir = new Path(root, output);
        if (!fs.exists(dir)) {
            fs.mkdirs(dir);
            format.open(fs, new Path(dir, "part-00000" + format.extension()), schema).close();
        }
    }
}
