package io.reviewrnn.jobs.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.config.PrepareConfig;
import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.core.store.OutputExistsException;
import io.reviewrnn.core.text.Vocabulary;
import io.reviewrnn.jobs.testing.LocalSpark;
import io.reviewrnn.jobs.testing.MiniHdfs;
import io.reviewrnn.jobs.testing.TestCorpora;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepare reading from and writing to a real (in-process) HDFS. */
class PrepareHdfsIT {
    @TempDir
    static Path dir;
    static MiniHdfs hdfs;

    @BeforeAll
    static void start() throws Exception {
        hdfs = new MiniHdfs(dir.resolve("hdfs"));
    }

    @AfterAll
    static void stop() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @Test
    void preparesFromHdfsToHdfs() throws Exception {
        FileSystem fs = hdfs.fs();
        org.apache.hadoop.fs.Path corpus = copyToHdfs(
                TestCorpora.write(dir, "corpus.tar.gz", CorpusFormat.ACLIMDB, true, 200, 100));
        String out = hdfs.uri() + "/prepared/imdb";
        PrepareConfig c = PrepareConfig.builder().setInput(CorpusSource.of(corpus.toString())).setOutput(out)
                .optPartitions(2).build();
        PrepareResult r = new PrepareJob(c).run(LocalSpark.get());

        assertTrue(r.output().startsWith("hdfs://"), r.output());
        assertEquals(160, r.count(PreparedLayout.TRAIN));
        assertEquals(40, r.count(PreparedLayout.VALIDATION));
        assertEquals(100, r.count(PreparedLayout.TEST));
        org.apache.hadoop.fs.Path outPath = new org.apache.hadoop.fs.Path(out);
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(outPath, PreparedLayout.SUCCESS)));
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(outPath, PreparedLayout.MANIFEST)));
        try (var in = new InputStreamReader(fs.open(new org.apache.hadoop.fs.Path(outPath, PreparedLayout.VOCABULARY)),
                StandardCharsets.UTF_8)) {
            assertEquals(497, Vocabulary.read(in).size());
        }
        assertEquals(100, LocalSpark.get().read().parquet(out + "/test").count());
        // No temporary folder is left next to the output.
        assertEquals(1, fs.listStatus(new org.apache.hadoop.fs.Path(hdfs.uri() + "/prepared")).length);
        assertThrows(OutputExistsException.class, () -> new PrepareJob(c).run(LocalSpark.get()));
    }

    @Test
    void anAclImdbDirectoryOnHdfsGivesTheSameCorpusAsItsLocalCopy() throws Exception {
        Path local = TestCorpora.write(dir, "corpus-dir", CorpusFormat.ACLIMDB, false, 120, 60);
        org.apache.hadoop.fs.Path corpus = copyToHdfs(local);
        PrepareConfig onHdfs = PrepareConfig.builder().setInput(CorpusSource.of(corpus.toString()))
                .setOutput(hdfs.uri() + "/prepared/from-dir").optPartitions(3).build();
        PrepareConfig onLocal = PrepareConfig.builder().setInput(CorpusSource.of(local.toString()))
                .setOutput(dir.resolve("from-local-dir").toString()).optPartitions(3).build();
        PrepareResult h = new PrepareJob(onHdfs).run(LocalSpark.get());
        PrepareResult l = new PrepareJob(onLocal).run(LocalSpark.get());
        for (String split : PreparedLayout.SPLITS) {
            var fromHdfs = LocalSpark.get().read().parquet(h.output() + "/" + split).orderBy("id").collectAsList();
            var fromLocal = LocalSpark.get().read().parquet(l.output() + "/" + split).orderBy("id").collectAsList();
            assertEquals(fromLocal, fromHdfs, split);
        }
        assertEquals(96, h.count(PreparedLayout.TRAIN));
        assertEquals(60, h.count(PreparedLayout.TEST));
    }

    /** Copies a local corpus (file or directory) to {@code /data/<its name>} on the MiniDFSCluster. */
    private static org.apache.hadoop.fs.Path copyToHdfs(Path local) throws java.io.IOException {
        org.apache.hadoop.fs.Path corpus = new org.apache.hadoop.fs.Path(hdfs.uri() + "/data/" + local.getFileName());
        hdfs.fs().copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), corpus);
        return corpus;
    }
}
