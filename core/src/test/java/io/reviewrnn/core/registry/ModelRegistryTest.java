package io.reviewrnn.core.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.reviewrnn.core.store.HostileCheckpoints;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
    @TempDir
    java.nio.file.Path tmp;

    FileSystem fs;
    MutableClock clock;
    ModelRegistry reg;
    Path work;

    @BeforeEach
    void setUp() throws IOException {
        fs = FileSystem.getLocal(new Configuration());
        clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        reg = ModelRegistry.open(fs, new Path(tmp.resolve("registry").toUri()), true, clock);
        work = new Path(tmp.resolve("work").toUri());
    }

    private VersionRecord register(int seed, double accuracy) throws IOException {
        Path ckpt = RegistryFixtures.checkpoint(fs, new Path(work, "ckpt-" + seed), seed);
        return reg.register(new RegisterRequest(ckpt.toString(), Map.of("accuracy", accuracy),
                null, new Lineage("hdfs:///prepared/manifest.json", "abc", null, "run-" + seed), null));
    }

    @Test
    void registerPublishesNumberedVersionsWithAVerifiedCopy() throws IOException {
        VersionRecord v1 = register(1, 0.8);
        VersionRecord v2 = register(2, 0.81);
        assertEquals(1, v1.version());
        assertEquals(2, v2.version());
        assertEquals(List.of(1, 2), reg.versionNumbers());
        assertEquals(ContentHash.of(fs, new Path(work, "ckpt-1")).sha256(), v1.checkpointSha256());
        assertNotEquals(v1.checkpointSha256(), v2.checkpointSha256());
        assertEquals(7, v1.checkpointFiles()); // 4 content files, SHA256SUMS, content.sha256, _SUCCESS
        // Byte-identical copy, and the checkpoint's own content hash recorded as verified.
        byte[] src = Files.readAllBytes(tmp.resolve("work/ckpt-1/network.zip"));
        byte[] copy = Files.readAllBytes(tmp.resolve("registry/versions/v1/checkpoint/network.zip"));
        assertArrayEquals(src, copy);
        assertEquals(Files.readString(tmp.resolve("work/ckpt-1/content.sha256")).trim(), v1.contentSha256());
        // Round trip of the record and its lineage; no temporary directory left behind.
        VersionRecord read = reg.record(1);
        assertEquals(v1, read);
        assertEquals("run-1", read.lineage().runId());
        assertNull(read.lineage().parentVersion());
        assertEquals(Map.of("accuracy", 0.8), read.metrics());
        assertTrue(Arrays.stream(fs.listStatus(new Path(reg.root(), "versions")))
                .allMatch(s -> s.getPath().getName().matches("v[0-9]+")));
        assertEquals(VersionStatus.CANDIDATE, reg.show(2).status());
    }

    @Test
    void parentDefaultsToTheChampionAtRegistration() throws IOException {
        register(1, 0.8);
        reg.promote(1, "first");
        assertEquals(1, register(2, 0.9).lineage().parentVersion());
    }

    @Test
    void contentHashSeesRenamesAndContentChanges() throws IOException {
        Path a = RegistryFixtures.checkpoint(fs, new Path(work, "a"), 1);
        String h = ContentHash.of(fs, a).sha256();
        assertEquals(h, ContentHash.of(fs, RegistryFixtures.checkpoint(fs, new Path(work, "b"), 1)).sha256());
        fs.rename(new Path(a, "vocabulary.tsv"), new Path(a, "vocab.tsv"));
        assertNotEquals(h, ContentHash.of(fs, a).sha256());
        Path c = RegistryFixtures.checkpoint(fs, new Path(work, "c"), 1);
        RegistryFixtures.write(fs, new Path(c, "network.zip"), "changed");
        assertNotEquals(h, ContentHash.of(fs, c).sha256());
    }

    @Test
    void aCrashedRegisterLeavesNoVersionAndTheNextOneSucceeds() throws IOException {
        // What a writer killed mid-copy leaves: a hidden temporary directory with part of a checkpoint.
        Path versions = new Path(reg.root(), "versions");
        Path partial = new Path(versions, ".v1.tmp-" + UUID.randomUUID());
        RegistryFixtures.write(fs, new Path(partial, "checkpoint/network.zip"), "half");
        assertEquals(List.of(), reg.versionNumbers());
        assertEquals(List.of(), reg.list());
        assertThrows(RegistryException.class, () -> reg.resolve("v1"));
        assertEquals(1, register(1, 0.8).version());
        assertEquals(1, reg.list().size());
        // The abandoned temporary directory goes once it is old enough to be surely dead.
        assertTrue(reg.prune(5).sweptTemporaries().isEmpty(), "a young temporary may be a live writer");
        fs.setTimes(partial, clock.millis() - Duration.ofHours(25).toMillis(), -1);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of("versions/" + partial.getName()), reg.prune(5).sweptTemporaries());
        assertFalse(fs.exists(partial));
    }

    @Test
    void registerRefusesWhatIsNotACompleteCheckpoint() throws IOException {
        assertThrows(RegistryException.class, () -> reg.register(RegisterRequest.of(work + "/missing", Map.of())));
        Path hidden = RegistryFixtures.checkpoint(fs, new Path(work, ".ckpt.tmp-1"), 1);
        RegistryException e = assertThrows(RegistryException.class,
                () -> reg.register(RegisterRequest.of(hidden.toString(), Map.of())));
        assertTrue(e.getMessage().contains("temporary"), e.getMessage());
        fs.mkdirs(new Path(work, "empty"));
        assertThrows(RegistryException.class,
                () -> reg.register(RegisterRequest.of(work + "/empty", Map.of())));
        assertEquals(List.of(), reg.versionNumbers());
    }

    @Test
    void registerVerifiesTheCheckpointCompletely() throws IOException {
        // A Java-serialized entry in network.zip, with the checkpoint's own checksums recomputed.
        Path gadget = RegistryFixtures.checkpoint(fs, new Path(work, "gadget"), 1);
        HostileCheckpoints.addPreprocessor(fs, gadget, HostileCheckpoints.nestedHashSetBomb(100));
        RegistryException g = assertThrows(RegistryException.class,
                () -> reg.register(RegisterRequest.of(gadget.toString(), Map.of())));
        assertTrue(g.getMessage().contains("preprocessor.bin"), g.getMessage());
        // A plain directory with files, and a checkpoint whose model.yaml does not describe its network.
        RegistryFixtures.write(fs, new Path(work, "plain/notes.txt"), "hello");
        RegistryException p = assertThrows(RegistryException.class,
                () -> reg.register(RegisterRequest.of(work + "/plain", Map.of())));
        assertTrue(p.getMessage().contains("not a complete checkpoint"), p.getMessage());
        Path respec = RegistryFixtures.checkpoint(fs, new Path(work, "respec"), 2);
        RegistryFixtures.write(fs, new Path(respec, "model.yaml"),
                RegistryFixtures.SPEC.toYaml().replace("units: 2", "units: 3"));
        HostileCheckpoints.rehash(fs, respec);
        RegistryException r = assertThrows(RegistryException.class,
                () -> reg.register(RegisterRequest.of(respec.toString(), Map.of())));
        assertTrue(r.getMessage().contains("parameters"), r.getMessage());
        // A version of a registry edited after registration (re-hashed in itself) cannot be registered elsewhere.
        register(3, 0.8);
        HostileCheckpoints.swapTwoWords(fs, new Path(reg.versionPath(1), "checkpoint"));
        RegistryException v = assertThrows(RegistryException.class,
                () -> reg.register(RegisterRequest.of(reg.versionPath(1) + "/checkpoint", Map.of())));
        assertTrue(v.getMessage().contains("changed after registration"), v.getMessage());
        assertEquals(List.of(1), reg.versionNumbers());
    }

    @Test
    void promoteRollbackAndLoadersRefuseAVersionChangedAfterRegistration() throws IOException {
        register(1, 0.8);
        register(2, 0.8);
        register(3, 0.8);
        reg.promote(1, "first");
        reg.promote(2, "second");
        // v3: the vocabulary edited and the checkpoint re-hashed; version.json still has the registered hash.
        HostileCheckpoints.swapTwoWords(fs, new Path(reg.versionPath(3), "checkpoint"));
        RegistryException e = assertThrows(RegistryException.class, () -> reg.promote(3, "x"));
        assertTrue(e.getMessage().contains("changed after registration"), e.getMessage());
        assertThrows(RegistryException.class, () -> ModelRegistry.locate(fs, reg.versionPath(3)));
        assertThrows(RegistryException.class,
                () -> ModelRegistry.locate(fs, new Path(reg.versionPath(3), "checkpoint")));
        // v1 (the rollback target): a gadget, and version.json rewritten to match, so only the data check sees it.
        Path v1 = new Path(reg.versionPath(1), "checkpoint");
        HostileCheckpoints.addPreprocessor(fs, v1, HostileCheckpoints.nestedHashSetBomb(100));
        HostileCheckpoints.rehashVersion(fs, reg.versionPath(1));
        assertEquals(reg.record(1).contentSha256(), ModelRegistry.locate(fs, v1).contentSha256());
        RegistryException r = assertThrows(RegistryException.class, () -> reg.rollback("x"));
        assertTrue(r.getMessage().contains("preprocessor.bin"), r.getMessage());
        assertEquals(2, reg.champion().orElseThrow().version(), "nothing changed");
        // A sound version still locates, with the content hash its loader must find.
        ModelRegistry.Located ok = ModelRegistry.locate(fs, reg.versionPath(2));
        assertEquals(reg.record(2).contentSha256(), ok.contentSha256());
        assertTrue(ok.checkpoint().toString().endsWith("v2/checkpoint"));
        assertNull(ModelRegistry.locate(fs, new Path(work, "ckpt-2")).contentSha256());
    }

    @Test
    void promoteRejectRollbackAndTheDerivedStatuses() throws IOException {
        register(1, 0.80);
        register(2, 0.79);
        register(3, 0.85);
        assertTrue(reg.champion().isEmpty());
        assertThrows(RegistryException.class, () -> reg.resolve("champion"));
        assertThrows(RegistryException.class, () -> reg.rollback("nothing yet"));

        ChampionPointer g1 = reg.promote(1, "first model");
        assertEquals(1, g1.generation());
        assertNull(g1.replaced());
        reg.reject(2, "accuracy 0.79 < champion v1 0.80 + min_delta 0.005");
        ChampionPointer g2 = reg.promote(3, "accuracy 0.85 beats v1 0.80");
        assertEquals(List.of(1), g2.previous());
        assertEquals(1, g2.replaced());

        assertEquals(VersionStatus.PREVIOUS_CHAMPION, reg.show(1).status());
        assertEquals(VersionStatus.REJECTED, reg.show(2).status());
        assertTrue(reg.show(2).reason().contains("min_delta"));
        assertEquals(VersionStatus.CHAMPION, reg.show(3).status());
        assertEquals(3, reg.resolve("champion").version());
        assertEquals(1, reg.resolve("previous").version());
        assertTrue(reg.resolve("champion").checkpoint().endsWith("/versions/v3/checkpoint"));
        assertEquals(reg.record(3).checkpointSha256(), reg.resolve("v3").checkpointSha256());

        ChampionPointer g3 = reg.rollback("v3 misbehaves in production");
        assertEquals(3, g3.generation());
        assertEquals(1, g3.version());
        assertEquals(ChampionPointer.ROLLBACK, g3.action());
        assertEquals(List.of(), g3.previous());
        assertEquals(1, reg.champion().orElseThrow().version());
        VersionInfo v3 = reg.show(3);
        assertEquals(VersionStatus.RETIRED, v3.status());
        assertTrue(v3.reason().contains("replaced by v1 (rollback"), v3.reason());
        assertThrows(RegistryException.class, () -> reg.rollback("again"), "v1 is the only champion left");
        assertEquals(3, reg.history().size());
        // A rejected version can still be promoted by hand, and then it is the champion.
        reg.promote(2, "operator override");
        assertEquals(VersionStatus.CHAMPION, reg.show(2).status());
    }

    @Test
    void promoteChecksItsArguments() throws IOException {
        register(1, 0.8);
        RegistryException e = assertThrows(RegistryException.class, () -> reg.promote(7, "x"));
        assertTrue(e.getMessage().contains("no version v7") && e.getMessage().contains("v1"), e.getMessage());
        reg.promote(1, "first");
        assertThrows(RegistryException.class, () -> reg.promote(1, "again"));
        assertEquals(1, reg.history().size());
    }

    @Test
    void aCrashedPointerWriteLeavesThePreviousChampion() throws IOException {
        register(1, 0.8);
        register(2, 0.9);
        reg.promote(1, "first");
        // A promote killed before its rename leaves a hidden, half-written temporary pointer only.
        Path champion = new Path(reg.root(), "champion");
        RegistryFixtures.write(fs, new Path(champion, ".pointer-0000000002.json.tmp-" + UUID.randomUUID()),
                "{\"generation\":2,\"vers");
        assertEquals(1, reg.champion().orElseThrow().version());
        assertEquals(1, reg.resolve("champion").version());
        assertEquals(2, reg.promote(2, "next run").generation());
    }

    @Test
    void exclusivePublishNeverReplacesAnExistingEntry() throws IOException {
        Path dir = new Path(work, "pub");
        RegistryFixtures.write(fs, new Path(dir, "target"), "first");
        RegistryFixtures.write(fs, new Path(dir, ".t1"), "second");
        assertFalse(ExclusivePublish.publish(fs, new Path(dir, ".t1"), new Path(dir, "target")));
        assertEquals("first", read(new Path(dir, "target")));
        assertTrue(fs.exists(new Path(dir, ".t1")), "the loser keeps its temporary file");
        assertTrue(ExclusivePublish.publish(fs, new Path(dir, ".t1"), new Path(dir, "other")));
        assertEquals("second", read(new Path(dir, "other")));
        assertFalse(fs.exists(new Path(dir, ".t1")));

        RegistryFixtures.write(fs, new Path(dir, "d1/a"), "a");
        RegistryFixtures.write(fs, new Path(dir, ".d2/b"), "b");
        assertFalse(ExclusivePublish.publish(fs, new Path(dir, ".d2"), new Path(dir, "d1")));
        assertEquals(List.of("a"), names(new Path(dir, "d1")));
        assertTrue(ExclusivePublish.publish(fs, new Path(dir, ".d2"), new Path(dir, "d3")));
        assertEquals(List.of("b"), names(new Path(dir, "d3")));
    }

    @Test
    void retentionKeepsTheLastNAndNeverTheChampionOrTheRollbackTarget() throws IOException {
        for (int i = 1; i <= 6; i++) {
            register(i, 0.8 + i / 100.0);
        }
        reg.promote(1, "first");
        reg.promote(2, "better");
        PruneResult r = reg.prune(2);
        assertEquals(List.of(3, 4), r.deleted());
        assertEquals(List.of(1, 2), r.protectedVersions());
        assertEquals(List.of(1, 2, 5, 6), reg.versionNumbers());
        assertEquals(2, reg.champion().orElseThrow().version());
        assertTrue(fs.exists(new Path(reg.resolve("champion").checkpoint(), "network.zip")));
        // Numbers are never reused after deletions.
        assertEquals(7, register(7, 0.9).version());
        // The rollback target survived, so rollback still works.
        assertEquals(1, reg.rollback("test").version());
        assertThrows(IllegalArgumentException.class, () -> reg.prune(0));
    }

    @Test
    void rollbackSkipsFormerChampionsThatRetentionDeleted() throws IOException {
        for (int i = 1; i <= 5; i++) {
            register(i, 0.8);
        }
        reg.promote(1, "a");
        reg.promote(2, "b");
        reg.promote(3, "c");
        assertEquals(List.of(2, 1), reg.champion().orElseThrow().previous());
        assertEquals(List.of(1, 4), reg.prune(1).deleted(), "neither champion, rollback target nor newest");
        assertEquals(2, reg.rollback("r1").version());
        RegistryException e = assertThrows(RegistryException.class, () -> reg.rollback("r2"));
        assertTrue(e.getMessage().contains("only champion"), e.getMessage());
    }

    @Test
    void resolveAcceptsVersionDirectoriesAndPlainPaths() throws IOException {
        register(1, 0.8);
        ResolvedModel byDir = reg.resolve(reg.versionPath(1).toString());
        assertEquals(1, byDir.version());
        assertTrue(byDir.checkpoint().endsWith("v1/checkpoint"));
        Path plain = RegistryFixtures.checkpoint(fs, new Path(work, "plain"), 9);
        ResolvedModel p = reg.resolve(plain.toString());
        assertNull(p.version());
        assertTrue(p.checkpoint().endsWith("/work/plain"), p.checkpoint());
        assertThrows(RegistryException.class, () -> reg.resolve(work + "/nope"));
        assertThrows(RegistryException.class, () -> reg.resolve("v9"));
        assertEquals(12, ModelRegistry.parseVersion("v12"));
        assertEquals(12, ModelRegistry.parseVersion("12"));
        assertThrows(IllegalArgumentException.class, () -> ModelRegistry.parseVersion("v0"));
        assertThrows(IllegalArgumentException.class, () -> ModelRegistry.parseVersion("latest"));
    }

    @Test
    void resolveModelServesTheModelOptionOfScoreAndEvaluate() throws IOException {
        register(1, 0.8);
        reg.promote(1, "first");
        Configuration conf = new Configuration();
        String root = reg.root().toString();
        ResolvedModel champion = ModelRegistry.resolveModel("champion", root, conf);
        assertEquals(1, champion.version());
        assertEquals(reg.record(1).checkpointSha256(), champion.checkpointSha256());
        assertEquals(1, ModelRegistry.resolveModel("v1", root, conf).version());
        RegistryException e = assertThrows(RegistryException.class,
                () -> ModelRegistry.resolveModel("champion", null, conf));
        assertTrue(e.getMessage().contains("--registry"), e.getMessage());
        assertEquals(1, ModelRegistry.resolveModel(reg.versionPath(1).toString(), null, conf).version());
        Path plain = RegistryFixtures.checkpoint(fs, new Path(work, "plain"), 3);
        assertNull(ModelRegistry.resolveModel(plain.toString(), null, conf).version());
        assertThrows(RegistryException.class, () -> ModelRegistry.resolveModel(work + "/nope", null, conf));
    }

    @Test
    void openRefusesMissingAndForeignDirectories() throws IOException {
        String missing = tmp.resolve("nothing-here").toUri().toString();
        RegistryException e = assertThrows(RegistryException.class,
                () -> ModelRegistry.open(missing, new Configuration()));
        assertTrue(e.getMessage().contains("no model registry"), e.getMessage());
        RegistryFixtures.write(fs, new Path(work, "foreign/data.txt"), "x");
        assertThrows(RegistryException.class,
                () -> ModelRegistry.openOrCreate(work + "/foreign", new Configuration()));
        // Reopening an existing registry sees its content.
        register(1, 0.8);
        assertEquals(List.of(1), ModelRegistry.open(reg.root().toString(), new Configuration()).versionNumbers());
    }

    private String read(Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private List<String> names(Path dir) throws IOException {
        return Arrays.stream(fs.listStatus(dir)).map(FileStatus::getPath).map(Path::getName).sorted().toList();
    }
}
