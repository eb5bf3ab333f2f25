package io.reviewrnn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.jobs.testing.LocalSpark;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.HashPartitioner;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** {@link Rdds} on local Spark: same results as the Java API, partition order, task errors surface unchanged. */
class RddsIT {
    private final JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());

    @Test
    void mapPartitionsAndEachPartitionMatchTheJavaApiInPartitionOrder() {
        List<Integer> data = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
        JavaRDD<Integer> rdd = jsc.parallelize(data, 7);
        JavaRDD<Integer> doubled = Rdds.mapPartitions(rdd, it -> {
            List<Integer> out = new ArrayList<>();
            it.forEachRemaining(x -> out.add(2 * x));
            return out.iterator();
        });
        assertEquals(rdd.map(x -> 2 * x).collect(), doubled.collect());

        List<String> perPartition = Rdds.eachPartition(doubled, (i, it) -> {
            long n = 0;
            long sum = 0;
            while (it.hasNext()) {
                sum += it.next();
                n++;
            }
            return i + ":" + n + ":" + sum;
        });
        List<List<Integer>> glommed = doubled.glom().collect();
        assertEquals(7, perPartition.size());
        for (int i = 0; i < 7; i++) {
            assertEquals(i + ":" + glommed.get(i).size() + ":"
                    + glommed.get(i).stream().mapToLong(Integer::longValue).sum(), perPartition.get(i));
        }
    }

    @Test
    void pairsShuffleLikeTheJavaApi() {
        JavaRDD<String> words = jsc.parallelize(List.of("a", "b", "a", "c", "b", "a"), 3);
        JavaPairRDD<String, Long> pairs = Rdds.<String, String, Long>mapPartitionsToPair(words, it -> {
            List<Tuple2<String, Long>> out = new ArrayList<>();
            it.forEachRemaining(w -> out.add(new Tuple2<>(w, 1L)));
            return out.iterator();
        }).partitionBy(new HashPartitioner(2));
        List<List<Tuple2<String, Long>>> parts = Rdds.eachPartition(pairs, (i, it) -> {
            List<Tuple2<String, Long>> out = new ArrayList<>();
            it.forEachRemaining(out::add);
            return out;
        });
        assertEquals(2, parts.size());
        long total = 0;
        for (int p = 0; p < 2; p++) {
            for (Tuple2<String, Long> t : parts.get(p)) {
                assertEquals(p, new HashPartitioner(2).getPartition(t._1()), t.toString());
                total += t._2();
            }
        }
        assertEquals(6, total);
    }

    @Test
    void aCheckedExceptionInATaskFailsTheJobWithItsMessage() {
        JavaRDD<Integer> rdd = jsc.parallelize(List.of(1, 2, 3), 3);
        SparkException e = assertThrows(SparkException.class, () -> Rdds.eachPartition(rdd, (i, it) -> {
            if (i == 1) {
                throw new IOException("partition one is unreadable");
            }
            return i;
        }));
        assertTrue(e.getMessage().contains("java.io.IOException: partition one is unreadable"), e.getMessage());
    }
}
