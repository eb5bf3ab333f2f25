import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Runs {@code review-rnn prepare} several times in one JVM and one Spark session and prints each run's job time
 * (sum of the manifest's stage seconds) as a JSON line: run 1 is the cold job the CLI runs, later runs show the
 * pipeline once the JIT has compiled it. Each line also has the process CPU seconds, JIT compilation seconds and GC
 * seconds the run took (JVM-wide, all threads). Used by bench/prepare_bench.py through the launcher:
 * {@code REVIEW_RNN_MAIN=bench/PrepareWarm.java ./review-rnn RUNS prepare --input ... --output OUT --overwrite}.
 */
public class PrepareWarm {
    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        String[] prepare = Arrays.copyOfRange(args, 1, args.length);
        String output = prepare[Arrays.asList(prepare).indexOf("--output") + 1];
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var jit = ManagementFactory.getCompilationMXBean();
        for (int run = 1; run <= runs; run++) {
            long cpu0 = os.getProcessCpuTime();
            long jit0 = jit.getTotalCompilationTime();
            long gc0 = gcMillis();
            int rc = io.reviewrnn.jobs.cli.Main.run(prepare);
            if (rc != 0) {
                System.exit(rc);
            }
            JsonNode stages = new ObjectMapper().readTree(new File(output, "manifest.json")).get("stage_seconds");
            double job = 0;
            for (JsonNode s : stages) {
                job += s.asDouble();
            }
            System.out.printf("{\"run\": %d, \"job_s\": %.4f, \"process_cpu_s\": %.3f, \"jit_s\": %.3f, "
                    + "\"gc_s\": %.3f, \"stages\": %s}%n", run, job, (os.getProcessCpuTime() - cpu0) / 1e9,
                    (jit.getTotalCompilationTime() - jit0) / 1e3, (gcMillis() - gc0) / 1e3, stages);
        }
        System.exit(0);
    }

    static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }
}
