package io.reviewrnn.jobs.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.store.AtomicDirectory;
import io.reviewrnn.core.base.HadoopFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.datavec.spark.util.BroadcastHadoopConfigHolder;
import org.datavec.spark.util.SerializableHadoopConfig;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training minibatches of a run, exported once as DL4J {@code DataSet} files so that every epoch reads ready
 * minibatches instead of re-reading Parquet and re-building them. The executors write the files in parallel, with
 * the Hadoop configuration of the Spark context broadcast to them (DL4J's own export uses a fresh
 * {@code Configuration} on the executors, which resolves a scheme-less path to {@code file:}; here every path is
 * fully qualified and written and read with the same configuration). The directory is committed atomically with
 * an {@code export.json} index (file names and example counts) and reused when the run is resumed.
 *
 * <p>Cost: one pass over the training split plus about {@code 4 * maxlen + 4} bytes per example on the file system
 * (8 MB for 20,000 IMDB reviews of 100 steps); the minibatch composition is fixed for the run, only the order of
 * minibatches changes per epoch.
 */
final class MinibatchExport {
    private static final Logger LOG = LoggerFactory.getLogger(MinibatchExport.class);
    static final String INDEX = "export.json";

    /** {@code export.json}: what was exported, so a resumed run can check it reuses the right data. */
    record Index(
            @JsonProperty("id") String id,
            @JsonProperty("corpus") String corpus,
            @JsonProperty("batch_size") int batchSize,
            @JsonProperty("seed") long seed,
            @JsonProperty("examples") long examples,
            @JsonProperty("files") List<String> files,
            @JsonProperty("counts") List<Integer> counts) {
    }

    /** An exported minibatch: fully qualified path and number of examples. */
    record Batch(String path, int examples) {
    }

    /**
     * The minibatches of one export, with the export's id: unique per export, so that caches keyed by file name
     * ({@link CachedMinibatchLoader}) never mix up two exports written to the same directory.
     */
    record Export(String id, List<Batch> batches) {
    }

    private MinibatchExport() {
    }

    /**
     * Exports {@code rows} (columns ids, label; already in training order) as minibatches of {@code batchSize}
     * into {@code dir}, or reuses a complete export there made from the same corpus, batch size and seed.
     */
    static Export exportOnce(JavaSparkContext sc, FileSystem fs, Path dir, JavaRDD<Row> rows, String corpus,
            int batchSize, int maxlen, long seed) throws IOException {
        Path qualified = fs.makeQualified(dir);
        if (AtomicDirectory.isComplete(fs, qualified)) {
            Index index = Yaml.json().readValue(HadoopFiles.read(fs, new Path(qualified, INDEX)), Index.class);
            if (index.batchSize() == batchSize && index.seed() == seed && Objects.equals(index.corpus(), corpus)) {
                LOG.info("reusing {} exported minibatches ({} examples) in {}", index.files().size(),
                        index.examples(), qualified);
                // an export from before ids were recorded gets one for this job
                return new Export(index.id() != null ? index.id() : UUID.randomUUID().toString(),
                        batches(qualified, index));
            }
            throw new IOException("export directory " + qualified + " holds minibatches of another corpus, batch "
                    + "size or seed (" + index.corpus() + ", " + index.batchSize() + ", " + index.seed()
                    + "); choose another export_dir or delete it");
        }
        try (AtomicDirectory out = AtomicDirectory.begin(fs, qualified, false, INDEX)) {
            Broadcast<SerializableHadoopConfig> conf = BroadcastHadoopConfigHolder.get(sc);
            List<String> written = rows.mapPartitionsWithIndex(
                    new WriteFunction(out.temp().toString(), batchSize, maxlen, conf), false).collect();
            List<String> files = new ArrayList<>();
            List<Integer> counts = new ArrayList<>();
            long examples = 0;
            for (String w : written) {
                int tab = w.indexOf('\t');
                files.add(w.substring(0, tab));
                int n = Integer.parseInt(w.substring(tab + 1));
                counts.add(n);
                examples += n;
            }
            Index index = new Index(UUID.randomUUID().toString(), corpus, batchSize, seed, examples, files, counts);
            HadoopFiles.write(fs, new Path(out.temp(), INDEX), Yaml.json().writeValueAsBytes(index));
            out.commit();
            LOG.info("exported {} minibatches ({} examples, batch {}) to {}", files.size(), examples, batchSize,
                    qualified);
            return new Export(index.id(), batches(qualified, index));
        }
    }

    private static List<Batch> batches(Path dir, Index index) {
        List<Batch> out = new ArrayList<>(index.files().size());
        for (int i = 0; i < index.files().size(); i++) {
            out.add(new Batch(new Path(dir, index.files().get(i)).toString(), index.counts().get(i)));
        }
        return out;
    }

    /** Writes one partition's minibatches; returns "name TAB count" per file (names only reach the driver). */
    private static final class WriteFunction implements Function2<Integer, Iterator<Row>, Iterator<String>> {
        private static final long serialVersionUID = 1L;
        private final String dir;
        private final int batchSize;
        private final int maxlen;
        private final Broadcast<SerializableHadoopConfig> conf;

        WriteFunction(String dir, int batchSize, int maxlen, Broadcast<SerializableHadoopConfig> conf) {
            this.dir = dir;
            this.batchSize = batchSize;
            this.maxlen = maxlen;
            this.conf = conf;
        }

        @Override
        public Iterator<String> call(Integer partition, Iterator<Row> rows) throws IOException {
            Path base = new Path(dir);
            FileSystem fs = base.getFileSystem(conf.value().getConfiguration());
            Iterator<DataSet> batches = new Minibatches(batchSize, maxlen).call(rows);
            List<String> names = new ArrayList<>();
            int i = 0;
            while (batches.hasNext()) {
                DataSet ds = batches.next();
                String name = String.format("mb-%05d-%06d.bin", partition, i++);
                try (OutputStream out = fs.create(new Path(base, name), false)) {
                    ds.save(out);
                }
                names.add(name + "\t" + ds.numExamples());
            }
            return names.iterator();
        }
    }
}
