package io.reviewrnn.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.config.ScoreConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Parse-only tests of {@code review-rnn score}'s table and column options: options become config keys; no Spark. */
class ScoreCommandTest {
    private static final String[] BASE = {"--model", "m", "--input", "in.csv", "--output", "out"};

    @TempDir
    Path tmp;

    private static ScoreConfig config(String... extra) {
        ScoreCommand c = new ScoreCommand();
        String[] args = new String[BASE.length + extra.length];
        System.arraycopy(BASE, 0, args, 0, BASE.length);
        System.arraycopy(extra, 0, args, BASE.length, extra.length);
        new CommandLine(c).parseArgs(args);
        return c.config();
    }

    @Test
    void tableAndPartitionOptionsBecomeConfigKeys() {
        ScoreConfig c = config("--output-table", "reviews.scored", "--partition-by", "predicted_label,model");
        assertEquals("reviews.scored", c.outputTable());
        assertEquals(List.of("predicted_label", "model"), c.partitionBy());
        ScoreConfig plain = config();
        assertNull(plain.outputTable());
        assertNull(plain.partitionBy());
        assertEquals("scored", config("--output-table", "scored").outputTable());
    }

    @Test
    void yamlKeysBindAndOptionsOverrideThem() throws Exception {
        Path yaml = tmp.resolve("score.yaml");
        Files.writeString(yaml, "output_table: db.a\npartition_by: [label]\n");
        ScoreConfig c = config("--config", yaml.toString());
        assertEquals("db.a", c.outputTable());
        assertEquals(List.of("label"), c.partitionBy());
        assertEquals("db.b", config("--config", yaml.toString(), "--output-table", "db.b").outputTable());
    }

    @Test
    void badTableNamesAreRefusedNamingTheKeyAndValue() {
        for (String bad : new String[] {"db.scored.x", "1scored", "db.", "scored-2026", "db;drop"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> config("--output-table", bad), bad);
            assertTrue(e.getMessage().contains("output_table must be table or database.table")
                    && e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void partitionByNeedsATableAndDistinctColumns() {
        ConfigException alone = assertThrows(ConfigException.class, () -> config("--partition-by", "label"));
        assertTrue(alone.getMessage().contains("partition_by needs output_table")
                && alone.getMessage().contains("'label'"), alone.getMessage());
        ConfigException twice = assertThrows(ConfigException.class,
                () -> config("--output-table", "t", "--partition-by", "label,LABEL"));
        assertTrue(twice.getMessage().contains("partition_by must list distinct")
                && twice.getMessage().contains("'label,LABEL'"), twice.getMessage());
    }

    @Test
    void keepColumnsBecomeAConfigKeyFromTheOptionOrYaml() throws Exception {
        assertEquals(List.of("product_id", "day"), config("--keep-columns", "product_id,day").keepColumns());
        assertEquals(List.of("product_id", "day"), config("--keep-columns", "product_id", "--keep-columns", "day")
                .keepColumns());
        assertNull(config().keepColumns(), "by default only the id is carried");
        assertEquals(List.of(), config().keptColumns());
        Path yaml = tmp.resolve("keep.yaml");
        Files.writeString(yaml, "keep_columns: [shop, day]\n");
        assertEquals(List.of("shop", "day"), config("--config", yaml.toString()).keepColumns());
        assertEquals(List.of("sku"), config("--config", yaml.toString(), "--keep-columns", "sku").keepColumns());
    }

    @Test
    void keepColumnsMustBeDistinctAndNonEmptyNamingTheKeyAndValue() {
        for (String bad : new String[] {"day,Day", "day,,shop", "day, "}) {
            ConfigException e = assertThrows(ConfigException.class, () -> config("--keep-columns", bad), bad);
            assertTrue(e.getMessage().contains("keep_columns must list distinct, non-empty column names")
                    && e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void aBadValueExitsWithTheUsageCodeAndNamesTheOption() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("score", "--model", "m", "--input", "in.csv", "--output", "out", "--output-table",
                "a.b.c");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("output_table must be table or database.table")
                && err.toString().contains("'a.b.c'"), err.toString());

        StringWriter err2 = new StringWriter();
        CommandLine cl2 = Main.commandLine();
        cl2.setErr(new PrintWriter(err2));
        assertEquals(2, cl2.execute("score", "--model", "m", "--input", "in.csv", "--output", "out",
                "--partition-by", "label"), err2.toString());
        assertTrue(err2.toString().contains("partition_by needs output_table"), err2.toString());

        StringWriter err3 = new StringWriter();
        CommandLine cl3 = Main.commandLine();
        cl3.setErr(new PrintWriter(err3));
        assertEquals(2, cl3.execute("score", "--model", "m", "--input", "in.csv", "--output", "out",
                "--keep-columns", "day,DAY"), err3.toString());
        assertTrue(err3.toString().contains("keep_columns must list distinct")
                && err3.toString().contains("'day,DAY'"), err3.toString());
    }
}
