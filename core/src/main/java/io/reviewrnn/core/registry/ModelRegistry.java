package io.reviewrnn.core.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.store.AtomicDirectory;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.base.HadoopFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model registry on any Hadoop FileSystem with atomic rename (HDFS, local). Layout under the root:
 * <pre>
 *   REGISTRY.json                      marker: format version, creation time
 *   versions/vN/                       immutable once published
 *       checkpoint/                    byte copy of the registered checkpoint directory
 *       version.json                   {@link VersionRecord}: metrics, config, lineage, content hash
 *       _SUCCESS
 *   champion/pointer-0000000007.json   {@link ChampionPointer} generations; the highest is the champion
 *   rejected/vN.json                   {@link Rejection}: why vN lost
 *   lock/lease-0000000003.json         {@link RetrainLock} leases
 *   *&#47;.NAME.tmp-UUID                    a write in progress, or abandoned by a crash; never read
 * </pre>
 * Every entry is written in full under a hidden temporary name and published with one exclusive rename
 * ({@link ExclusivePublish}), so a crash at any point leaves either the old state or the new one, and the previous
 * champion stays valid: a new champion is a new pointer generation, the old generations are never modified.
 *
 * <p>Thread-safety: instances are stateless apart from the file system and can be shared. Concurrent writers in
 * different processes cannot corrupt the registry (version numbers and pointer generations are claimed by
 * exclusive rename, the loser gets an error or retries), but read-decide-write sequences such as "promote if
 * better" must run under the {@link RetrainLock}, as {@code retrain} and the CLI do.
 */
public final class ModelRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    public static final int FORMAT_VERSION = 1;
    public static final String MARKER = "REGISTRY.json";
    public static final String VERSIONS = "versions";
    public static final String CHAMPION = "champion";
    public static final String REJECTED = "rejected";
    public static final String LOCK = "lock";
    public static final String CHECKPOINT_DIR = "checkpoint";
    public static final String VERSION_FILE = "version.json";
    public static final String SUCCESS = "_SUCCESS";
    /** Temporary entries older than this are abandoned and removed by {@link #prune}. */
    public static final Duration ABANDONED_AFTER = Duration.ofHours(24);
    /** Former champions remembered for rollback. */
    public static final int MAX_ROLLBACK_STACK = 32;

    private static final Pattern VERSION_NAME = Pattern.compile("v([1-9][0-9]{0,8})");
    private static final Pattern POINTER_NAME = Pattern.compile("pointer-([0-9]{1,18})\\.json");
    private static final Pattern TEMP_NAME = Pattern.compile("\\..+\\.(tmp|deleting)-[0-9a-f-]{36}");
    private static final ObjectMapper JSON = Yaml.json();

    private final FileSystem fs;
    private final Path root;
    private final Clock clock;

    private ModelRegistry(FileSystem fs, Path root, Clock clock) {
        this.fs = fs;
        this.root = root;
        this.clock = clock;
    }

    /** Opens an existing registry; fails with a clear message when {@code uri} holds none. */
    public static ModelRegistry open(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        return open(p.getFileSystem(conf), p, false, Clock.systemUTC());
    }

    /** Opens the registry at {@code uri}, creating an empty one if the directory is missing or empty. */
    public static ModelRegistry openOrCreate(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        return open(p.getFileSystem(conf), p, true, Clock.systemUTC());
    }

    /** Opens (or with {@code create}, creates) the registry at {@code root}; {@code clock} stamps records. */
    public static ModelRegistry open(FileSystem fs, Path root, boolean create, Clock clock) throws IOException {
        Path r = fs.makeQualified(root);
        Path marker = new Path(r, MARKER);
        if (!fs.exists(marker)) {
            if (!create) {
                throw new RegistryException("no model registry at " + r + " (" + MARKER + " not found); "
                        + "retrain creates one on its first run");
            }
            if (fs.exists(r) && fs.listStatus(r).length > 0) {
                throw new RegistryException("refusing to create a model registry in " + r
                        + ": the directory is not empty and holds no " + MARKER);
            }
            fs.mkdirs(r);
            ModelRegistry reg = new ModelRegistry(fs, r, clock);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format_version", FORMAT_VERSION);
            m.put("created_at", reg.now());
            m.put("created_by", Identity.current().userAtHost());
            if (reg.writeNew(marker, m)) {
                LOG.info("created model registry {}", r);
            }
        }
        Map<?, ?> m = readJson(fs, marker, Map.class);
        Object v = m.get("format_version");
        if (!(v instanceof Number n) || n.intValue() != FORMAT_VERSION) {
            throw new RegistryException(marker + ": format_version " + v + " is not supported (expected "
                    + FORMAT_VERSION + ")");
        }
        if (create) {
            // Only writers create; readers (score, registry list) may lack write permission on the registry.
            for (String d : List.of(VERSIONS, CHAMPION, REJECTED, LOCK)) {
                fs.mkdirs(new Path(r, d));
            }
        }
        return new ModelRegistry(fs, r, clock);
    }

    public Path root() {
        return root;
    }

    public FileSystem fs() {
        return fs;
    }

    /** The retrain lock of this registry. */
    public RetrainLock lock() {
        return new RetrainLock(fs, new Path(root, LOCK), clock);
    }

    // ---------------------------------------------------------------------------------------------- reading

    /** Published version numbers, ascending. */
    public List<Integer> versionNumbers() throws IOException {
        List<Integer> out = new ArrayList<>();
        for (FileStatus s : fs.listStatus(new Path(root, VERSIONS))) {
            Matcher m = VERSION_NAME.matcher(s.getPath().getName());
            if (s.isDirectory() && m.matches()) {
                out.add(Integer.parseInt(m.group(1)));
            }
        }
        out.sort(null);
        return out;
    }

    /** The directory of version {@code v}. */
    public Path versionPath(int v) {
        return new Path(new Path(root, VERSIONS), "v" + v);
    }

    /** The registration record of {@code v}. */
    public VersionRecord record(int v) throws IOException {
        Path dir = versionPath(v);
        if (!fs.exists(new Path(dir, SUCCESS))) {
            throw new RegistryException("no version v" + v + " in " + root + " (versions: "
                    + names(versionNumbers()) + ")");
        }
        return readJson(fs, new Path(dir, VERSION_FILE), VersionRecord.class);
    }

    /** All versions with their status, ascending. */
    public List<VersionInfo> list() throws IOException {
        State st = state();
        List<VersionInfo> out = new ArrayList<>();
        for (int v : versionNumbers()) {
            out.add(info(record(v), st));
        }
        return out;
    }

    /** One version with its status. */
    public VersionInfo show(int v) throws IOException {
        return info(record(v), state());
    }

    /** The current champion pointer, if a model was ever promoted. */
    public Optional<ChampionPointer> champion() throws IOException {
        TreeMap<Long, Path> gens = pointerFiles();
        if (gens.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(readJson(fs, gens.lastEntry().getValue(), ChampionPointer.class));
    }

    /** Every champion pointer generation, oldest first: the promotion and rollback history. */
    public List<ChampionPointer> history() throws IOException {
        List<ChampionPointer> out = new ArrayList<>();
        for (Path p : pointerFiles().values()) {
            out.add(readJson(fs, p, ChampionPointer.class));
        }
        return out;
    }

    /**
     * Resolves {@code champion}, {@code previous} (the rollback target), {@code vN}, a version directory of this
     * registry, or any other checkpoint directory path.
     */
    public ResolvedModel resolve(String ref) throws IOException {
        String r = ref.trim();
        if (r.equals("champion") || r.equals("previous")) {
            ChampionPointer c = champion().orElseThrow(() -> new RegistryException(
                    "registry " + root + " has no champion yet (nothing was promoted)"));
            int v = c.version();
            if (r.equals("previous")) {
                v = rollbackTarget(c).orElseThrow(() -> new RegistryException(
                        "registry " + root + " has no previous champion (v" + c.version() + " is the first)"));
            }
            return resolved(r, v);
        }
        if (VERSION_NAME.matcher(r).matches()) {
            return resolved(r, parseVersion(r));
        }
        Path p = new Path(r);
        FileSystem pfs = p.getFileSystem(fs.getConf());
        if (pfs.exists(new Path(p, VERSION_FILE)) && pfs.exists(new Path(p, CHECKPOINT_DIR))) {
            VersionRecord rec = readJson(pfs, new Path(p, VERSION_FILE), VersionRecord.class);
            return new ResolvedModel(r, pfs.makeQualified(new Path(p, CHECKPOINT_DIR)).toString(), rec.version(),
                    rec.checkpointSha256());
        }
        if (!pfs.exists(p)) {
            throw new RegistryException("model '" + r + "' is neither champion, previous, vN nor an existing path");
        }
        return new ResolvedModel(r, pfs.makeQualified(p).toString(), null, null);
    }

    /**
     * What {@code --model REF [--registry PATH]} means for evaluate, score and predict: {@code champion},
     * {@code previous} and {@code vN} need the registry; anything else is a checkpoint directory path (or a version
     * directory of some registry) and needs none.
     */
    public static ResolvedModel resolveModel(String ref, String registry, Configuration conf) throws IOException {
        String r = ref.trim();
        boolean symbolic = r.equals("champion") || r.equals("previous") || VERSION_NAME.matcher(r).matches();
        if (registry == null || registry.isBlank()) {
            if (symbolic) {
                throw new RegistryException("model '" + r + "' names a registry version: give the registry too"
                        + " (--registry PATH)");
            }
            Path p = new Path(r);
            FileSystem pfs = p.getFileSystem(conf);
            if (pfs.exists(new Path(p, VERSION_FILE)) && pfs.exists(new Path(p, CHECKPOINT_DIR))) {
                VersionRecord rec = readJson(pfs, new Path(p, VERSION_FILE), VersionRecord.class);
                return new ResolvedModel(r, pfs.makeQualified(new Path(p, CHECKPOINT_DIR)).toString(),
                        rec.version(), rec.checkpointSha256());
            }
            if (!pfs.exists(p)) {
                throw new RegistryException("model " + r + " does not exist");
            }
            return new ResolvedModel(r, pfs.makeQualified(p).toString(), null, null);
        }
        return open(registry, conf).resolve(r);
    }

    /**
     * Verifies version {@code v} completely, as {@link #register} did: the files of its checkpoint have the hash its
     * {@code version.json} recorded, the checkpoint is complete and its checksums hold, its network archive holds
     * data only and loads through the serial filter ({@link io.reviewrnn.core.store.NetworkArchive}), its network is
     * the one its {@code model.yaml} describes, and its content hash is the recorded one. Returns the record.
     *
     * @throws RegistryException naming what does not hold
     */
    public VersionRecord verify(int v) throws IOException {
        VersionRecord rec = record(v);
        Path checkpoint = new Path(versionPath(v), CHECKPOINT_DIR);
        checkRecordedHash(fs, checkpoint, rec);
        Checkpoint c = loadVerified(fs, checkpoint, "v" + v);
        if (rec.contentSha256() != null && !rec.contentSha256().equals(c.contentHash())) {
            throw new RegistryException("refusing v" + v + ": its checkpoint's content hash is " + c.contentHash()
                    + ", version.json recorded " + rec.contentSha256());
        }
        return rec;
    }

    /**
     * A checkpoint directory to load and the content hash it must have.
     *
     * @param checkpoint the checkpoint directory (fully qualified)
     * @param contentSha256 the content hash a loaded checkpoint must have, or null when {@code checkpoint} is no
     *                      registry version (any intact checkpoint will do)
     * @param version the registry version, or null
     */
    public record Located(Path checkpoint, String contentSha256, Integer version) {
    }

    /**
     * What every consumer of a checkpoint directory calls before loading it. When {@code path} is a registry
     * version (its version directory, or that directory's {@code checkpoint/}), the checkpoint's files are first
     * checked against the hash its {@code version.json} recorded, and the content hash the loaded checkpoint must
     * have is returned with it; any other path is returned as is, with no expected hash.
     *
     * @throws RegistryException when a registry version's files are not what was registered
     */
    public static Located locate(FileSystem fs, Path path) throws IOException {
        Path p = fs.makeQualified(path);
        Path versionDir = null;
        if (isVersionDir(fs, p)) {
            versionDir = p;
        } else if (p.getName().equals(CHECKPOINT_DIR) && p.getParent() != null && isVersionDir(fs, p.getParent())) {
            versionDir = p.getParent();
        }
        if (versionDir == null) {
            return new Located(p, null, null);
        }
        VersionRecord rec = readJson(fs, new Path(versionDir, VERSION_FILE), VersionRecord.class);
        Path checkpoint = new Path(versionDir, CHECKPOINT_DIR);
        checkRecordedHash(fs, checkpoint, rec);
        String content = rec.contentSha256();
        Path contentFile = new Path(checkpoint, Checkpoint.CONTENT_HASH);
        if (content == null && !fs.exists(contentFile)) {
            throw new RegistryException("refusing " + rec.name() + ": " + checkpoint
                    + " is not a complete checkpoint (no " + Checkpoint.CONTENT_HASH + ")");
        }
        if (content == null) { // registered before the content hash was recorded: the verified file holds it
            content = new String(HadoopFiles.read(fs, contentFile), java.nio.charset.StandardCharsets.UTF_8).trim();
        }
        return new Located(checkpoint, content, rec.version());
    }

    private static boolean isVersionDir(FileSystem fs, Path p) throws IOException {
        return fs.exists(new Path(p, VERSION_FILE)) && fs.exists(new Path(p, SUCCESS))
                && fs.exists(new Path(p, CHECKPOINT_DIR));
    }

    /** The files of a version's checkpoint must have the {@link ContentHash} its record holds. */
    private static void checkRecordedHash(FileSystem fs, Path checkpoint, VersionRecord rec) throws IOException {
        ContentHash actual = ContentHash.of(fs, checkpoint);
        if (!actual.sha256().equals(rec.checkpointSha256())) {
            throw new RegistryException("refusing " + rec.name() + " (" + checkpoint + "): its files hash to "
                    + actual.sha256() + " (" + actual.files() + " files, " + actual.bytes() + " bytes) but "
                    + VERSION_FILE + " recorded " + rec.checkpointSha256() + " (" + rec.checkpointFiles()
                    + " files, " + rec.checkpointBytes() + " bytes): the version was changed after registration");
        }
    }

    /** Loads a checkpoint as scoring would, and checks that its network is the one its model.yaml describes. */
    private static Checkpoint loadVerified(FileSystem fs, Path dir, String what) throws IOException {
        if (!AtomicDirectory.isComplete(fs, dir)) {
            throw new RegistryException("refusing " + what + ": not a complete checkpoint (" + dir + " has no "
                    + AtomicDirectory.SUCCESS + "; a checkpoint is the best/ or last/ directory a train run wrote)");
        }
        try {
            Checkpoint c = Checkpoint.load(fs, dir, true);
            c.checkMatchesSpec();
            return c;
        } catch (IOException | RuntimeException e) {
            throw new RegistryException("refusing " + what + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code vN} (or {@code N}) into N. */
    public static int parseVersion(String s) {
        String t = s.trim();
        Matcher m = VERSION_NAME.matcher(t.startsWith("v") ? t : "v" + t);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a version: '" + s + "' (expected vN, e.g. v3)");
        }
        return Integer.parseInt(m.group(1));
    }

    // ---------------------------------------------------------------------------------------------- writing

    /**
     * Copies a checkpoint into the next free version {@code vN} and publishes it atomically. Before publication the
     * copy is verified completely: the same bytes as the source, a complete checkpoint whose checksums hold, a
     * network archive with data only that loads through the serial filter, and a network that is the one its
     * {@code model.yaml} describes (see {@link #verify}). A source that is itself a registry version must first
     * match the hash its own {@code version.json} recorded. The version starts as a candidate.
     */
    public VersionRecord register(RegisterRequest req) throws IOException {
        Path src = new Path(req.checkpoint());
        FileSystem srcFs = src.getFileSystem(fs.getConf());
        src = srcFs.makeQualified(src);
        if (!srcFs.exists(src) || !srcFs.getFileStatus(src).isDirectory()) {
            throw new RegistryException("checkpoint " + src + " is not a directory");
        }
        if (src.getName().startsWith(".") || src.getName().startsWith("_")) {
            throw new RegistryException("checkpoint " + src + " looks like an unfinished temporary directory");
        }
        Located located = locate(srcFs, src); // a version of some registry must match its version.json first
        src = located.checkpoint();
        ContentHash hash = ContentHash.of(srcFs, src);
        if (hash.files() == 0) {
            throw new RegistryException("checkpoint " + src + " is empty");
        }
        Lineage lineage = req.lineage().parentVersion() != null ? req.lineage()
                : req.lineage().withParent(champion().map(ChampionPointer::version).orElse(null));
        Path versions = new Path(root, VERSIONS);
        for (int attempt = 0; attempt < 5; attempt++) {
            List<Integer> existing = versionNumbers();
            int n = existing.isEmpty() ? 1 : existing.get(existing.size() - 1) + 1;
            Path temp = new Path(versions, ".v" + n + ".tmp-" + UUID.randomUUID());
            try {
                fs.mkdirs(temp);
                Path copy = new Path(temp, CHECKPOINT_DIR);
                if (!FileUtil.copy(srcFs, src, fs, copy, false, fs.getConf())) {
                    throw new IOException("cannot copy " + src + " to " + copy);
                }
                ContentHash copied = ContentHash.of(fs, copy);
                if (!copied.equals(hash)) {
                    throw new RegistryException("copy of " + src + " differs from the source (" + copied
                            + " vs " + hash + "); was the checkpoint being written while registering?");
                }
                Checkpoint loaded = loadVerified(fs, copy, "checkpoint " + src);
                if (located.contentSha256() != null && !located.contentSha256().equals(loaded.contentHash())) {
                    throw new RegistryException("refusing checkpoint " + src + ": its content hash is "
                            + loaded.contentHash() + ", its registry recorded " + located.contentSha256());
                }
                VersionRecord rec = new VersionRecord(FORMAT_VERSION, n, now(), hash.sha256(), hash.files(),
                        hash.bytes(), src.toString(), req.metrics(), req.config(), lineage,
                        Identity.current().userAtHost(), req.note(), loaded.contentHash());
                writeFile(new Path(temp, VERSION_FILE), JSON.writeValueAsBytes(rec));
                writeFile(new Path(temp, SUCCESS), new byte[0]);
                if (ExclusivePublish.publish(fs, temp, versionPath(n))) {
                    LOG.info("registered {} in {} from {} ({} files, {} bytes, sha256 {})", rec.name(), root, src,
                            hash.files(), hash.bytes(), hash.sha256());
                    return rec;
                }
                LOG.info("version v{} was taken by a concurrent register; trying the next number", n);
            } finally {
                if (fs.exists(temp)) {
                    fs.delete(temp, true);
                }
            }
        }
        throw new RegistryException("could not claim a version number in " + root + " after 5 attempts");
    }

    /**
     * Makes {@code v} the champion after {@link #verify verifying} it: publishes the next pointer generation, pushing
     * the old champion onto the rollback stack. Fails if the pointer changed concurrently (nothing is written then).
     */
    public ChampionPointer promote(int v, String reason) throws IOException {
        verify(v);
        Optional<ChampionPointer> cur = champion();
        if (cur.isPresent() && cur.get().version() == v) {
            throw new RegistryException("v" + v + " is already the champion");
        }
        List<Integer> stack = new ArrayList<>();
        cur.ifPresent(c -> {
            stack.add(c.version());
            stack.addAll(c.previous());
        });
        stack.removeIf(x -> x == v);
        ChampionPointer next = new ChampionPointer(cur.map(ChampionPointer::generation).orElse(0L) + 1, v,
                existing(stack), ChampionPointer.PROMOTE, cur.map(ChampionPointer::version).orElse(null), reason,
                now(), Identity.current().userAtHost());
        publishPointer(next);
        LOG.info("promoted v{} to champion{} ({})", v,
                cur.map(c -> ", replacing v" + c.version()).orElse(""), reason);
        return next;
    }

    /** Restores the most recent former champion that still exists, after {@link #verify verifying} it. */
    public ChampionPointer rollback(String reason) throws IOException {
        ChampionPointer cur = champion().orElseThrow(() -> new RegistryException(
                "registry " + root + " has no champion; nothing to roll back"));
        List<Integer> stack = existing(cur.previous());
        if (stack.isEmpty()) {
            throw new RegistryException("cannot roll back: v" + cur.version()
                    + " is the only champion this registry still holds");
        }
        int target = stack.get(0);
        verify(target);
        ChampionPointer next = new ChampionPointer(cur.generation() + 1, target, stack.subList(1, stack.size()),
                ChampionPointer.ROLLBACK, cur.version(), reason, now(), Identity.current().userAtHost());
        publishPointer(next);
        LOG.info("rolled back champion from v{} to v{} ({})", cur.version(), target, reason);
        return next;
    }

    /** Records that {@code v} lost to the champion (or was rejected by hand). A second rejection is ignored. */
    public Rejection reject(int v, String reason) throws IOException {
        record(v);
        Rejection r = new Rejection(v, reason, champion().map(ChampionPointer::version).orElse(null), now(),
                Identity.current().userAtHost());
        Path target = new Path(new Path(root, REJECTED), "v" + v + ".json");
        if (!writeNew(target, r)) {
            LOG.info("v{} was already rejected; keeping the first reason", v);
            return readJson(fs, target, Rejection.class);
        }
        LOG.info("rejected v{}: {}", v, reason);
        return r;
    }

    /**
     * Keeps the newest {@code keepLast} versions plus the champion and the rollback target (the most recent former
     * champion that exists), deletes the rest, and removes temporary entries abandoned by crashed writers more than
     * {@link #ABANDONED_AFTER} ago. A version is renamed aside before it is deleted, so it disappears at once.
     */
    public PruneResult prune(int keepLast) throws IOException {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keep_last must be >= 1, was " + keepLast);
        }
        List<Integer> all = versionNumbers();
        Set<Integer> keep = new LinkedHashSet<>(all.subList(Math.max(0, all.size() - keepLast), all.size()));
        List<Integer> deleted = new ArrayList<>();
        List<Integer> protectedVersions = new ArrayList<>();
        for (int v : all) {
            if (keep.contains(v)) {
                continue;
            }
            // Re-read the pointer for every deletion: the protected set is whatever it says right now.
            Set<Integer> prot = protectedSet();
            if (prot.contains(v)) {
                protectedVersions.add(v);
                continue;
            }
            Path dir = versionPath(v);
            Path aside = new Path(dir.getParent(), ".v" + v + ".deleting-" + UUID.randomUUID());
            if (!fs.rename(dir, aside)) {
                throw new IOException("cannot move " + dir + " aside for deletion");
            }
            fs.delete(aside, true);
            fs.delete(new Path(new Path(root, REJECTED), "v" + v + ".json"), false);
            deleted.add(v);
            LOG.info("retention: deleted v{} (keep_last {})", v, keepLast);
        }
        List<Integer> kept = new ArrayList<>(all);
        kept.removeAll(deleted);
        return new PruneResult(deleted, kept, protectedVersions, sweepTemporaries());
    }

    // ---------------------------------------------------------------------------------------------- internals

    private Set<Integer> protectedSet() throws IOException {
        Set<Integer> prot = new LinkedHashSet<>();
        Optional<ChampionPointer> c = champion();
        if (c.isPresent()) {
            prot.add(c.get().version());
            rollbackTarget(c.get()).ifPresent(prot::add);
        }
        return prot;
    }

    private Optional<Integer> rollbackTarget(ChampionPointer c) throws IOException {
        List<Integer> stack = existing(c.previous());
        return stack.isEmpty() ? Optional.empty() : Optional.of(stack.get(0));
    }

    private List<Integer> existing(List<Integer> versions) throws IOException {
        List<Integer> out = new ArrayList<>();
        for (int v : versions) {
            if (out.size() < MAX_ROLLBACK_STACK && !out.contains(v) && fs.exists(new Path(versionPath(v), SUCCESS))) {
                out.add(v);
            }
        }
        return out;
    }

    private List<String> sweepTemporaries() throws IOException {
        List<String> swept = new ArrayList<>();
        long cutoff = clock.millis() - ABANDONED_AFTER.toMillis();
        for (String d : List.of(VERSIONS, CHAMPION, REJECTED, LOCK)) {
            for (FileStatus s : fs.listStatus(new Path(root, d))) {
                String name = s.getPath().getName();
                boolean deleting = name.contains(".deleting-");
                if (TEMP_NAME.matcher(name).matches() && (deleting || s.getModificationTime() < cutoff)) {
                    fs.delete(s.getPath(), true);
                    swept.add(d + "/" + name);
                    LOG.info("removed abandoned temporary entry {}", s.getPath());
                }
            }
        }
        return swept;
    }

    private void publishPointer(ChampionPointer p) throws IOException {
        Path target = new Path(new Path(root, CHAMPION), String.format("pointer-%010d.json", p.generation()));
        if (!writeNew(target, p)) {
            throw new RegistryException("the champion pointer changed while v" + p.version()
                    + " was being made champion (generation " + p.generation() + " exists); nothing was changed,"
                    + " check 'registry list' and retry");
        }
    }

    private TreeMap<Long, Path> pointerFiles() throws IOException {
        TreeMap<Long, Path> out = new TreeMap<>();
        for (FileStatus s : fs.listStatus(new Path(root, CHAMPION))) {
            Matcher m = POINTER_NAME.matcher(s.getPath().getName());
            if (m.matches()) {
                out.put(Long.parseLong(m.group(1)), s.getPath());
            }
        }
        return out;
    }

    private ResolvedModel resolved(String ref, int v) throws IOException {
        VersionRecord rec = record(v);
        return new ResolvedModel(ref, new Path(versionPath(v), CHECKPOINT_DIR).toString(), v,
                rec.checkpointSha256());
    }

    /** Everything status derivation needs, read once. */
    private record State(List<ChampionPointer> history, Map<Integer, Rejection> rejections) {
    }

    private State state() throws IOException {
        Map<Integer, Rejection> rej = new TreeMap<>();
        for (FileStatus s : fs.listStatus(new Path(root, REJECTED))) {
            Matcher m = Pattern.compile("v([0-9]+)\\.json").matcher(s.getPath().getName());
            if (m.matches()) {
                rej.put(Integer.parseInt(m.group(1)), readJson(fs, s.getPath(), Rejection.class));
            }
        }
        return new State(history(), rej);
    }

    private VersionInfo info(VersionRecord rec, State st) {
        int v = rec.version();
        String path = versionPath(v).toString();
        List<ChampionPointer> h = st.history();
        ChampionPointer cur = h.isEmpty() ? null : h.get(h.size() - 1);
        if (cur != null && cur.version() == v) {
            return new VersionInfo(rec, VersionStatus.CHAMPION, cur.reason(), path);
        }
        if (cur != null && cur.previous().contains(v)) {
            return new VersionInfo(rec, VersionStatus.PREVIOUS_CHAMPION, replacedBy(h, v), path);
        }
        if (h.stream().anyMatch(p -> p.version() == v)) {
            return new VersionInfo(rec, VersionStatus.RETIRED, replacedBy(h, v), path);
        }
        Rejection r = st.rejections().get(v);
        if (r != null) {
            return new VersionInfo(rec, VersionStatus.REJECTED, r.reason(), path);
        }
        return new VersionInfo(rec, VersionStatus.CANDIDATE, null, path);
    }

    private static String replacedBy(List<ChampionPointer> history, int v) {
        for (int i = history.size() - 1; i >= 0; i--) {
            ChampionPointer p = history.get(i);
            if (p.replaced() != null && p.replaced() == v) {
                return "replaced by v" + p.version() + " (" + p.action() + " at " + p.updatedAt()
                        + (p.reason() == null ? "" : ": " + p.reason()) + ")";
            }
        }
        return null;
    }

    /** Writes {@code value} as JSON to {@code target} unless it exists; false when it did. */
    private boolean writeNew(Path target, Object value) throws IOException {
        Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try {
            writeFile(temp, JSON.writeValueAsBytes(value));
            return ExclusivePublish.publish(fs, temp, target);
        } finally {
            if (fs.exists(temp)) {
                fs.delete(temp, false);
            }
        }
    }

    private void writeFile(Path p, byte[] bytes) throws IOException {
        try (OutputStream out = fs.create(p, false)) {
            out.write(bytes);
        }
    }

    static <T> T readJson(FileSystem fs, Path p, Class<T> type) throws IOException {
        try (InputStream in = fs.open(p)) {
            return JSON.readValue(in, type);
        } catch (FileNotFoundException e) {
            throw new RegistryException("missing registry file " + p, e);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new RegistryException("registry file " + p + " is not valid: " + e.getOriginalMessage(), e);
        }
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static String names(List<Integer> vs) {
        return vs.isEmpty() ? "none" : vs.stream().map(v -> "v" + v).reduce((a, b) -> a + ", " + b).orElse("");
    }
}
