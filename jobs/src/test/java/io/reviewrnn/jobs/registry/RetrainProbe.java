package io.reviewrnn.jobs.registry;

import io.reviewrnn.core.config.RetrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.retrain.RetrainResult;
import io.reviewrnn.core.retrain.Retrainer;
import org.apache.hadoop.conf.Configuration;

/**
 * A retrain in its own JVM, for kill tests: {@code RetrainProbe <retrain.yaml> <run-id> <accuracy> <hang>}. Exits
 * with the outcome's exit code.
 */
public final class RetrainProbe {
    private RetrainProbe() {
    }

    public static void main(String[] args) throws Exception {
        RetrainConfig config = Yaml.bind(Yaml.readTree(args[0]), RetrainConfig.class, args[0]);
        Configuration conf = new Configuration();
        RetrainResult r = new Retrainer(config, new ScriptedStages(Double.parseDouble(args[2]),
                Boolean.parseBoolean(args[3]), conf), conf).run(args[1]);
        System.out.println("OUTCOME " + r.outcome());
        System.exit(r.outcome().exitCode());
    }
}
