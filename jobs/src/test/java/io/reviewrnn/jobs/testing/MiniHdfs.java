package io.reviewrnn.jobs.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** A real in-process HDFS (one NameNode, one DataNode) for ITs; close it when done. */
public final class MiniHdfs implements AutoCloseable {
    private final MiniDFSCluster cluster;

    public MiniHdfs(Path baseDir) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toAbsolutePath().toString());
        conf.set("dfs.replication", "1");
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
    }

    /** e.g. {@code hdfs://localhost:40123} */
    public String uri() {
        return cluster.getURI().toString();
    }

    public FileSystem fs() throws IOException {
        return cluster.getFileSystem();
    }

    public MiniDFSCluster cluster() {
        return cluster;
    }

    @Override
    public void close() {
        cluster.shutdown(true);
    }
}
