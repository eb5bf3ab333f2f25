import io.reviewrnn.jobs.SparkSessionFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.BarrierTaskContext;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * The latency of Spark's barrier {@code allGather}, the exchange a "one job per epoch" trainer would average through:
 * one barrier job of {@code TASKS} tasks on {@code MASTER}, each calling {@code allGather} {@code ROUNDS} times with a
 * message of {@code BYTES} characters (a block's parameters and updater state, base64: about 94,000 for the lstm
 * spec). Prints the tasks' mean milliseconds per call.
 * {@code REVIEW_RNN_MAIN=bench/BarrierAllGather.java ./review-rnn MASTER TASKS ROUNDS BYTES}
 */
public class BarrierAllGather {
    public static void main(String[] args) {
        // Spark's local executor loads task classes through the context class loader of the thread that starts it:
        // this source file's classes live in the source launcher's loader, not on the class path.
        Thread.currentThread().setContextClassLoader(BarrierAllGather.class.getClassLoader());
        String master = args[0];
        int tasks = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int bytes = Integer.parseInt(args[3]);
        var spark = SparkSessionFactory.getOrCreate("barrier-allgather", master, Map.of("spark.ui.enabled", "false"));
        List<Object> ids = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            ids.add(i);
        }
        long start = System.nanoTime();
        Object[] perCall = (Object[]) spark.sparkContext().parallelize(JavaConverters.asScalaBuffer(ids).toSeq(), tasks,
                ClassTag$.MODULE$.Any()).barrier().mapPartitions(new Gather(rounds, bytes), false,
                ClassTag$.MODULE$.Any()).collect();
        System.out.printf("{\"master\": \"%s\", \"tasks\": %d, \"rounds\": %d, \"bytes\": %d, \"ms_per_allgather\": %s,"
                + " \"job_s\": %.2f}%n", master, tasks, rounds, bytes, Arrays.toString(perCall),
                (System.nanoTime() - start) / 1e9);
        spark.stop();
        System.exit(0);
    }

    /** A task: {@code rounds} allGather calls; returns its mean milliseconds per call. */
    static final class Gather extends AbstractFunction1<scala.collection.Iterator<Object>, scala.collection.Iterator<Object>>
            implements java.io.Serializable {
        private final int rounds;
        private final int bytes;

        Gather(int rounds, int bytes) {
            this.rounds = rounds;
            this.bytes = bytes;
        }

        @Override
        public scala.collection.Iterator<Object> apply(scala.collection.Iterator<Object> partition) {
            BarrierTaskContext context = BarrierTaskContext.get();
            String message = "x".repeat(bytes);
            long t0 = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                context.allGather(message);
            }
            double ms = (System.nanoTime() - t0) / 1e6 / rounds;
            return JavaConverters.asScalaIterator(List.<Object>of(Math.round(ms * 10) / 10.0).iterator());
        }
    }
}
