package io.reviewrnn.jobs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.rdd.RDD;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;

/**
 * Per-partition RDD operations whose functions reach Spark as named classes. Spark's {@code ClosureCleaner} returns
 * at once for those, while every Java-API call ({@code JavaRDD.mapPartitions}, {@code collect}, {@code fold}, ...)
 * hands it a Scala lambda declared in a Spark class, which it scans with ASM: cold code that cost prepare's first job
 * about half a second of JIT compilation. Results come back in partition order.
 */
public final class Rdds {
    private Rdds() {
    }

    /** A function of one partition: its index and its elements. */
    @FunctionalInterface
    public interface PartitionFunction<T, U> extends Serializable {
        U call(int partition, Iterator<T> elements) throws Exception;
    }

    /** {@code rdd.mapPartitions(f)}. */
    public static <T, U> JavaRDD<U> mapPartitions(JavaRDD<T> rdd, FlatMapFunction<Iterator<T>, U> f) {
        return JavaRDD.fromRDD(rdd.rdd().mapPartitions(new MapPartitions<>(f), false, anyRef()), anyRef());
    }

    /** {@code rdd.mapPartitionsToPair(f)}. */
    public static <T, K, V> JavaPairRDD<K, V> mapPartitionsToPair(JavaRDD<T> rdd, PairFlatMapFunction<Iterator<T>, K, V> f) {
        RDD<Tuple2<K, V>> pairs = rdd.rdd().mapPartitions(new MapPartitions<T, Tuple2<K, V>>(f::call), false, anyRef());
        return JavaPairRDD.fromRDD(pairs, anyRef(), anyRef());
    }

    /** Runs {@code f} on every partition of {@code rdd} in one job; the results in partition order. */
    public static <T, U> List<U> eachPartition(JavaRDD<T> rdd, PartitionFunction<T, U> f) {
        return eachPartition(rdd.rdd(), f);
    }

    /** Runs {@code f} on every partition of {@code rdd} in one job; the results in partition order. */
    public static <K, V, U> List<U> eachPartition(JavaPairRDD<K, V> rdd, PartitionFunction<Tuple2<K, V>, U> f) {
        return eachPartition(rdd.rdd(), f);
    }

    /**
     * Runs {@code f} on every partition of {@code rdd} in one barrier stage: Spark launches all its tasks at once
     * (or fails the job if it has fewer task slots), and a failed task makes Spark retry the stage as a whole. For
     * tasks that talk to each other while they run. The results in partition order.
     */
    public static <T, U> List<U> eachPartitionTogether(JavaRDD<T> rdd, PartitionFunction<T, U> f) {
        RDD<U> together = rdd.rdd().barrier().mapPartitions(new MapPartitions<T, U>(new OneResult<T, U>(f)), false,
                anyRef());
        return eachPartition(together, new First<U>());
    }

    private static <T, U> List<U> eachPartition(RDD<T> rdd, PartitionFunction<T, U> f) {
        Object results = rdd.sparkContext().runJob(rdd, new EachPartition<T, U>(f), Rdds.<U>anyRef());
        List<U> out = new ArrayList<>();
        for (Object r : (Object[]) results) {
            @SuppressWarnings("unchecked")
            U u = (U) r;
            out.add(u);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <X> ClassTag<X> anyRef() {
        return (ClassTag<X>) ClassTag$.MODULE$.AnyRef();
    }

    /** Rethrows {@code e} unchanged, checked or not (what the Scala side of Spark's Java API does). */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException rethrow(Throwable e) throws E {
        throw (E) e;
    }

    private static final class MapPartitions<T, U>
            extends AbstractFunction1<scala.collection.Iterator<T>, scala.collection.Iterator<U>> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final FlatMapFunction<Iterator<T>, U> f;

        MapPartitions(FlatMapFunction<Iterator<T>, U> f) {
            this.f = f;
        }

        @Override
        public scala.collection.Iterator<U> apply(scala.collection.Iterator<T> it) {
            try {
                return JavaConverters.asScalaIterator(f.call(JavaConverters.asJavaIterator(it)));
            } catch (Exception e) {
                throw Rdds.<RuntimeException>rethrow(e);
            }
        }
    }

    /** {@code f} of the task's partition, as the partition's one element. */
    private static final class OneResult<T, U> implements FlatMapFunction<Iterator<T>, U> {
        private static final long serialVersionUID = 1L;
        private final PartitionFunction<T, U> f;

        OneResult(PartitionFunction<T, U> f) {
            this.f = f;
        }

        @Override
        public Iterator<U> call(Iterator<T> elements) throws Exception {
            return java.util.Collections.singletonList(f.call(TaskContext.getPartitionId(), elements)).iterator();
        }
    }

    /** A partition's first element. */
    private static final class First<U> implements PartitionFunction<U, U> {
        private static final long serialVersionUID = 1L;

        @Override
        public U call(int partition, Iterator<U> elements) {
            return elements.next();
        }
    }

    private static final class EachPartition<T, U>
            extends AbstractFunction2<TaskContext, scala.collection.Iterator<T>, U> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final PartitionFunction<T, U> f;

        EachPartition(PartitionFunction<T, U> f) {
            this.f = f;
        }

        @Override
        public U apply(TaskContext context, scala.collection.Iterator<T> it) {
            try {
                return f.call(context.partitionId(), JavaConverters.asJavaIterator(it));
            } catch (Exception e) {
                throw Rdds.<RuntimeException>rethrow(e);
            }
        }
    }
}
