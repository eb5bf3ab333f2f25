package io.reviewrnn.jobs.cluster;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * A minimal Spark application that {@link LocalClusterSmokeIT} submits to the rig: every task sleeps a little and
 * writes "{@code <record>,<executor JVM pid>}" to the output path (on the default FS, HDFS on the rig), so the
 * test can see which executor JVMs did the work. Args: output path, record count.
 */
public final class ClusterProbeApp {

  private ClusterProbeApp() {
  }

  public static void main(String[] args) {
    String output = args[0];
    int records = Integer.parseInt(args[1]);
    SparkSession spark = SparkSession.builder().appName("cluster-probe").getOrCreate();
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<Integer> values = new ArrayList<>();
      for (int i = 0; i < records; i++) {
        values.add(i);
      }
      // 8 slices of ~200 ms each: both 1-core executors get work.
      jsc.parallelize(values, 8)
          .mapPartitions(part -> {
            Thread.sleep(200);
            long pid = ManagementFactory.getRuntimeMXBean().getPid();
            List<String> lines = new ArrayList<>();
            part.forEachRemaining(v -> lines.add(v + "," + pid));
            return lines.iterator();
          })
          .saveAsTextFile(output);
    } finally {
      spark.stop();
    }
  }
}
