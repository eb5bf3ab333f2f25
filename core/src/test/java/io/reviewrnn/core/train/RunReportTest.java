package io.reviewrnn.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html of a run, rendered from the run directory's files alone, grows with what the directory holds. */
class RunReportTest {
    @TempDir
    Path tmp;

    private static EpochMetrics m(int e, double vl, double va) {
        return new EpochMetrics(e, 0.7 - 0.05 * e, 0.5 + 0.05 * e, vl, va, 1000, 2.0, 0.5, 500);
    }

    @Test
    void aRunningRunThenItsResultThenItsEvaluation() throws Exception {
        System.setProperty("java.awt.headless", "true");
        FileSystem fs = FileSystem.getLocal(new Configuration());
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(tmp.toUri());
        Files.writeString(tmp.resolve("config.yaml"), "corpus: file:/data/prepared\nmodel: lstm\nrun_dir: "
                + tmp.toUri() + "\nmonitor: val_accuracy\nworkers: 2\naveraging: bmuf\n");
        Files.writeString(tmp.resolve("model.yaml"), "name: lstm\nkind: lstm\nunits: 8\n");
        TrainingHistory h = new TrainingHistory();
        h.add(m(1, 0.60, 0.70));
        h.add(m(2, 0.55, 0.78));   // best val_accuracy
        h.add(m(3, 0.50, 0.74));   // best val_loss, but the run monitors val_accuracy
        h.write(fs, dir);

        String running = Files.readString(Path.of(RunReport.write(fs, dir).toUri()));
        assertTrue(running.contains("<h1>Training run " + tmp.getFileName() + ": lstm</h1>"), shown(running));
        assertTrue(running.contains("running or interrupted (3 epochs so far)"), shown(running));
        assertTrue(running.contains("<th>best epoch (val_accuracy)</th><td>2: val_loss 0.5500, val_accuracy 0.7800"),
                shown(running));
        assertEquals(2, images(running), "loss and accuracy curves, embedded");
        assertTrue(running.contains("<td>3</td><td class=\"n\">0.5500</td>"), "per-epoch table: " + shown(running));
        assertTrue(running.contains("monitor: val_accuracy"), "the effective config is shown");
        assertFalse(running.contains("Evaluation"), shown(running));

        Files.writeString(tmp.resolve("result.json"), "{\"best_epoch\": 2, \"epochs\": 3, \"stop_reason\":"
                + " \"max_epochs\", \"final_model\": \"best\", \"best_checkpoint\": \"file:/r/checkpoints/best\","
                + " \"best_content_sha256\": \"" + "ab".repeat(32) + "\", \"wall_seconds\": 42.0,"
                + " \"samples_per_second\": 1234.0}");
        Files.writeString(tmp.resolve("environment.json"), "{\"spark_master\": \"yarn\", \"spark_version\":"
                + " \"3.5.9\"}");
        Files.writeString(tmp.resolve("evaluation.json"), "{\"model\": \"file:/r/checkpoints/best\", \"model_sha256\":"
                + " \"" + "ab".repeat(32) + "\", \"input\": \"file:/data/prepared/test\", \"rejected\": 1, \"metrics\":"
                + " {\"examples\": 100, \"accuracy\": 0.81, \"loss\": 0.45, \"precision\": 0.8, \"recall\": 0.82,"
                + " \"f1\": 0.81, \"roc_auc\": 0.88, \"confusion_matrix\": {\"tn\": 40, \"fp\": 10, \"fn\": 9,"
                + " \"tp\": 41}}}");
        Files.copy(tmp.resolve("loss.png"), tmp.resolve(RunReport.EVALUATION_ROC));

        String done = Files.readString(tmp.resolve(RunReport.HTML));
        assertEquals(running, done, "nothing changes until the report is written again");
        done = Files.readString(Path.of(RunReport.write(fs, dir).toUri()));
        assertTrue(done.contains("stopped after epoch 3: max_epochs"), shown(done));
        assertTrue(done.contains("<th>best checkpoint content sha256</th><td>" + "ab".repeat(32)), shown(done));
        assertTrue(done.contains("<th>spark_master</th><td>yarn</td>"), shown(done));
        assertTrue(done.contains("<th>roc_auc</th><td>0.8800</td>"), shown(done));
        assertTrue(done.contains("<tr><td>actual negative</td><td class=\"n\">40</td><td class=\"n\">10</td></tr>"),
                shown(done));
        assertEquals(3, images(done), "curves and the ROC curve, embedded");
        assertFalse(done.contains("src=\"loss.png\""), "self-contained: no file references");
    }

    /** The page without its embedded images, for failure messages. */
    static String shown(String html) {
        return html.replaceAll("data:image/png;base64,[A-Za-z0-9+/=]+", "IMG");
    }

    private static int images(String html) {
        return html.split("data:image/png;base64,", -1).length - 1;
    }
}
