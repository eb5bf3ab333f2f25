package io.reviewrnn.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.reviewrnn.core.base.Yaml;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingHistoryTest {
    @TempDir
    Path tmp;

    private static EpochMetrics m(int e, double loss, double acc, double vl, double va) {
        return new EpochMetrics(e, loss, acc, vl, va, 1000, 2.0, 0.5, 500);
    }

    @Test
    void writesJsonAndBothPlotsAndRewritesThemEachEpoch() throws Exception {
        System.setProperty("java.awt.headless", "true");
        FileSystem fs = FileSystem.getLocal(new Configuration());
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(tmp.toUri());
        TrainingHistory h = new TrainingHistory();
        h.add(m(1, 0.69, 0.52, 0.68, 0.55));
        h.write(fs, dir);
        byte[] lossAfterOne = Files.readAllBytes(tmp.resolve("loss.png"));
        h.add(m(2, 0.55, 0.71, 0.58, 0.70));
        h.add(m(3, 0.45, 0.80, 0.52, 0.76));
        h.write(fs, dir);

        JsonNode json = Yaml.json().readTree(tmp.resolve("history.json").toFile());
        assertEquals(3, json.get("loss").size());
        assertEquals(0.52, json.get("val_loss").get(2).asDouble());
        assertEquals(0.80, json.get("accuracy").get(2).asDouble());
        assertEquals(3, json.get("epochs").get(2).get("epoch").asInt());
        assertEquals(h.epochs(), TrainingHistory.read(fs, dir).epochs());

        for (String png : new String[] {"loss.png", "accuracy.png"}) {
            BufferedImage img = ImageIO.read(tmp.resolve(png).toFile());
            assertEquals(800, img.getWidth(), png);
            assertEquals(500, img.getHeight(), png);
            long colours = Arrays.stream(img.getRGB(0, 0, 800, 500, null, 0, 800)).distinct().count();
            assertTrue(colours > 10, png + " has drawn content, " + colours + " colours");
        }
        assertTrue(!Arrays.equals(lossAfterOne, Files.readAllBytes(tmp.resolve("loss.png"))),
                "the plot is redrawn with the new epochs");
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temp files left");
        }
    }

    @Test
    void epochsMustComeInOrder() {
        TrainingHistory h = new TrainingHistory();
        h.add(m(1, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> h.add(m(3, 1, 1, 1, 1)));
        assertEquals(1, h.truncate(5).size());
        assertArrayEquals(new Object[] {h.epochs().get(0)}, h.truncate(1).epochs().toArray());
    }
}
