package io.reviewrnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.train.EpochMetrics;
import io.reviewrnn.core.train.RunReport;
import io.reviewrnn.core.train.TrainingHistory;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's report.html in a real headless browser (Debian's {@code chromium}, which {@code .ci/run} installs): the
 * page loads from its one file with every embedded image decoded, and a screenshot shows the plots. Skipped, with
 * the reason, where no chromium is installed.
 */
class ReportBrowserIT {
    @TempDir
    Path tmp;

    @Test
    void theRunReportLoadsWithItsImagesInChromium() throws Exception {
        String chromium = onPath("chromium", "chromium-browser", "google-chrome");
        Assumptions.assumeTrue(chromium != null, "no chromium on PATH (apt-get install -y chromium; .ci/run does)");
        System.setProperty("java.awt.headless", "true");
        Path run = Files.createDirectories(tmp.resolve("run"));
        FileSystem fs = FileSystem.getLocal(new Configuration());
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(run.toUri());
        Files.writeString(run.resolve("config.yaml"), "corpus: file:/data/prepared\nmodel: lstm\nmonitor: val_loss\n");
        Files.writeString(run.resolve("model.yaml"), "name: lstm\nkind: lstm\nunits: 8\n");
        TrainingHistory h = new TrainingHistory();
        for (int e = 1; e <= 8; e++) {
            h.add(new EpochMetrics(e, 0.7 - 0.04 * e, 0.5 + 0.04 * e, 0.68 - 0.02 * e, 0.55 + 0.03 * e, 1000, 2, 0.5,
                    500));
        }
        h.write(fs, dir);
        Files.copy(run.resolve("loss.png"), run.resolve(RunReport.EVALUATION_ROC));
        Files.writeString(run.resolve(RunReport.EVALUATION), "{\"model\": \"m\", \"metrics\": {\"accuracy\": 0.8,"
                + " \"confusion_matrix\": {\"tn\": 1, \"fp\": 2, \"fn\": 3, \"tp\": 4}}}");
        Path report = Path.of(RunReport.write(fs, dir).toUri());
        // Move it away from the PNG files: it must not need them.
        Path alone = Files.createDirectories(tmp.resolve("alone")).resolve("report.html");
        Files.move(report, alone);

        // A page that opens the report in a frame and puts in its title how many of its images decoded.
        Path check = alone.resolveSibling("check.html");
        Files.writeString(check, "<!DOCTYPE html><html><head><title>pending</title></head><body>"
                + "<iframe id=\"f\" src=\"report.html\" width=\"1200\" height=\"2000\"></iframe><script>"
                + "document.getElementById('f').onload = function () {"
                + " var imgs = this.contentDocument.images, ok = 0;"
                + " for (var i = 0; i < imgs.length; i++) { if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++; }"
                + " document.title = 'decoded ' + ok + ' of ' + imgs.length + ' images'; };"
                + "</script></body></html>", StandardCharsets.UTF_8);
        String dom = run(chromium, "--allow-file-access-from-files", "--dump-dom", check.toUri().toString());
        Matcher m = Pattern.compile("<title>decoded (\\d+) of (\\d+) images</title>").matcher(dom);
        assertTrue(m.find(), "the report did not load in chromium:\n" + dom);
        assertEquals("3", m.group(2), "loss, accuracy and ROC images in the page");
        assertEquals(m.group(2), m.group(1), "every embedded image decodes");

        Path shot = tmp.resolve("report.png");
        run(chromium, "--window-size=1280,1600", "--screenshot=" + shot, alone.toUri().toString());
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1280, img.getWidth());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                colours.add(img.getRGB(x, y));
            }
        }
        // Text alone renders in shades of grey; the plots bring XChart's coloured series and anti-aliasing.
        assertTrue(colours.size() > 200, "the screenshot shows the plots, " + colours.size() + " colours");
    }

    private String run(String chromium, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + tmp.resolve("profile")));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("chromium.out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(tmp.resolve("chromium.err")
                .toFile()).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish in 90 s: " + cmd);
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(tmp.resolve("chromium.err")));
        return Files.readString(out);
    }

    private static String onPath(String... names) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String n : names) {
                if (Files.isExecutable(Path.of(dir, n))) {
                    return Path.of(dir, n).toString();
                }
            }
        }
        return null;
    }
}
