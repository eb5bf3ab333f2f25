package io.reviewrnn.core.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reviewrnn.core.base.Yaml;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease-based mutual-exclusion lock on a Hadoop FileSystem, so that two retrains (or a retrain and a manual
 * promote) never work on one registry at the same time; the same mechanism locks a {@code train} or
 * {@code experiments} run directory ({@link #named}).
 *
 * <p>Protocol. The lock is a directory of numbered lease files, {@code lease-<g>.json}; the highest number is the
 * current lease ({@link LockHolder}: owner token, run id, host, pid, start time, heartbeat time, timeout).
 * <ul>
 *   <li><b>Acquire</b>: read the current lease. If it exists and has not expired, fail at once with
 *       {@link LockHeldException} naming the holder. Otherwise publish lease {@code g+1} with an <em>exclusive</em>
 *       rename ({@link ExclusivePublish}). Of several processes racing for {@code g+1}, exactly one wins; the others
 *       re-read and fail naming the winner.</li>
 *   <li><b>Breaking a stale lock</b> is the same step: an expired lease is never deleted or overwritten, it is
 *       superseded by generation {@code g+1}. So two breakers cannot both win, and a breaker can never remove a
 *       lease that a third process has just taken.</li>
 *   <li><b>Renew</b> (heartbeat): the holder publishes {@code g+1} with the same token and a new heartbeat, again
 *       exclusively. If a breaker got there first, the rename fails and the holder learns it lost the lock
 *       ({@link LockLostException}).</li>
 *   <li><b>Owner checks</b>: {@link Lease#assertHeld()} verifies that the current lease carries our token and has
 *       not expired; call it right before every registry change.</li>
 *   <li><b>Release</b>: delete our own lease files; a lease superseded by someone else is left to them.</li>
 * </ul>
 * Expiry compares the holder's heartbeat time with the reader's clock, so hosts' clocks must agree to well within the
 * timeout (NTP; timeouts are minutes to hours). A holder that stalls longer than its timeout without renewing
 * (e.g. a stop-the-world pause) can be superseded; {@code assertHeld} before each change limits the damage to work
 * that is then discarded.
 *
 * <p>Thread-safety: a {@link Lease} may be renewed by a heartbeat thread while another thread calls
 * {@code assertHeld}; its methods are synchronized.
 */
public final class RetrainLock {
    private static final Logger LOG = LoggerFactory.getLogger(RetrainLock.class);
    private static final Pattern LEASE_NAME = Pattern.compile("lease-([0-9]{1,18})\\.json");
    private static final ObjectMapper JSON = Yaml.json();

    private final FileSystem fs;
    private final Path dir;
    private final Clock clock;
    private final String name;

    /** The retrain lock in directory {@code dir} (created if missing). */
    public RetrainLock(FileSystem fs, Path dir, Clock clock) {
        this(fs, dir, clock, "retrain lock");
    }

    private RetrainLock(FileSystem fs, Path dir, Clock clock, String name) {
        this.fs = fs;
        this.dir = fs.makeQualified(dir);
        this.clock = clock;
        this.name = name;
    }

    /** A lock with the same protocol for something else, e.g. {@code run-directory lock}; {@code name} is for messages. */
    public static RetrainLock named(FileSystem fs, Path dir, Clock clock, String name) {
        return new RetrainLock(fs, dir, clock, name);
    }

    /** The lock directory inside a locked run directory ({@code train}, {@code experiments}). */
    public static final String RUN_DIRECTORY_LOCK = "_lock";
    /** Lease timeout of a run-directory lock: after {@code kill -9} the next run may take the directory over then. */
    public static final Duration RUN_LEASE_TIMEOUT = Duration.ofMinutes(10);
    /** How often a live run renews its run-directory lease (timeout / 6, as the retrain lock's default). */
    public static final Duration RUN_HEARTBEAT = RUN_LEASE_TIMEOUT.dividedBy(6);

    /** The run-directory lock of {@code runDir}: directory {@code <runDir>/_lock}. */
    public static RetrainLock ofRunDirectory(FileSystem fs, Path runDir) {
        return named(fs, new Path(runDir, RUN_DIRECTORY_LOCK), Clock.systemUTC(), "run-directory lock");
    }

    /**
     * Takes the lock for a whole run: a heartbeat renews it every {@link #RUN_HEARTBEAT}, and a JVM shutdown
     * (Ctrl-C, SIGTERM) releases it.
     *
     * @throws LockHeldException when another live run holds it; the message names that run, host and pid
     */
    public Lease acquireForRun(String runId) throws IOException {
        Lease lease = acquire(runId, RUN_LEASE_TIMEOUT);
        lease.keepAlive(RUN_HEARTBEAT);
        lease.releaseOnShutdown();
        return lease;
    }

    /** The lock's directory. */
    public Path dir() {
        return dir;
    }

    /** The current lease, live or expired, if any. */
    public Optional<LockHolder> holder() throws IOException {
        return Optional.ofNullable(readTop(leases()));
    }

    /** Reads the highest lease; re-lists when it vanished in between (released or superseded meanwhile). */
    private LockHolder readTop(TreeMap<Long, Path> leases) throws IOException {
        for (int attempt = 0; ; attempt++) {
            if (leases.isEmpty()) {
                return null;
            }
            try {
                return ModelRegistry.readJson(fs, leases.lastEntry().getValue(), LockHolder.class);
            } catch (RegistryException e) {
                if (!(e.getCause() instanceof java.io.FileNotFoundException) || attempt >= 10) {
                    throw e;
                }
                leases.clear();
                leases.putAll(leases());
            }
        }
    }

    /**
     * Takes the lock for {@code runId}, superseding an expired lease. The lease expires {@code timeout} after the
     * last renewal.
     *
     * @throws LockHeldException when another live lease exists
     */
    public Lease acquire(String runId, Duration timeout) throws IOException {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("lock timeout must be > 0, was " + timeout);
        }
        fs.mkdirs(dir);
        Identity me = Identity.current();
        String token = UUID.randomUUID().toString();
        for (int attempt = 0; attempt < 3; attempt++) {
            TreeMap<Long, Path> leases = leases();
            LockHolder current = readTop(leases);
            Instant now = now();
            if (current != null && !current.expired(now)) {
                throw new LockHeldException(name, dir.toString(), current);
            }
            long next = current == null ? 1 : current.generation() + 1;
            LockHolder mine = new LockHolder(next, token, runId, me.host(), me.pid(), me.user(), now.toString(),
                    now.toString(), timeout.toMillis());
            if (publish(mine)) {
                if (current != null) {
                    LOG.warn("took over the {} {} from an expired lease: {}", name, dir, current.describe());
                }
                deleteBelow(next);
                LOG.info("acquired {} {} for run {} (lease timeout {})", name, dir, runId, timeout);
                return new Lease(mine);
            }
            LOG.info("lost a race for lease {} of {}; re-reading", next, dir);
        }
        throw new RegistryException("could not acquire the " + name + " " + dir + " after 3 attempts (busy)");
    }

    private boolean publish(LockHolder h) throws IOException {
        Path target = new Path(dir, String.format("lease-%010d.json", h.generation()));
        Path temp = new Path(dir, "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try {
            try (OutputStream out = fs.create(temp, false)) {
                out.write(JSON.writeValueAsBytes(h));
            }
            return ExclusivePublish.publish(fs, temp, target);
        } finally {
            if (fs.exists(temp)) {
                fs.delete(temp, false);
            }
        }
    }

    private void deleteBelow(long generation) throws IOException {
        for (Map.Entry<Long, Path> e : leases().headMap(generation).entrySet()) {
            fs.delete(e.getValue(), false);
        }
    }

    private TreeMap<Long, Path> leases() throws IOException {
        TreeMap<Long, Path> out = new TreeMap<>();
        if (!fs.exists(dir)) {
            return out;
        }
        for (FileStatus s : fs.listStatus(dir)) {
            Matcher m = LEASE_NAME.matcher(s.getPath().getName());
            if (m.matches()) {
                out.put(Long.parseLong(m.group(1)), s.getPath());
            }
        }
        return out;
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
    }

    /** A held lease. Close it to release the lock. */
    public final class Lease implements AutoCloseable {
        private LockHolder current;
        private boolean released;
        private ScheduledExecutorService heartbeat;
        private Thread shutdownHook;
        private volatile IOException lost;

        private Lease(LockHolder holder) {
            this.current = holder;
        }

        /** The lease as last written by us. */
        public synchronized LockHolder holder() {
            return current;
        }

        /**
         * Extends the lease by publishing the next generation with our token. A lease that has just expired can
         * still be renewed as long as nobody took it over: the exclusive publish of the next generation decides
         * between us and a breaker.
         */
        public synchronized void renew() throws IOException {
            if (lost != null || released) {
                assertHeld();
            }
            LockHolder top = RetrainLock.this.holder().orElse(null);
            if (top == null || !top.token().equals(current.token())) {
                throw lostTo(top);
            }
            LockHolder next = current.renewed(current.generation() + 1, now());
            if (!publish(next)) {
                Optional<LockHolder> other = RetrainLock.this.holder();
                throw lostTo(other.orElse(null));
            }
            Path old = new Path(dir, String.format("lease-%010d.json", current.generation()));
            current = next;
            fs.delete(old, false);
        }

        /**
         * Verifies that we still hold the lock: the current lease carries our token and has not expired.
         *
         * @throws LockLostException otherwise
         */
        public synchronized void assertHeld() throws IOException {
            if (lost != null) {
                throw new LockLostException("the " + name + " " + dir + " was lost: " + lost.getMessage());
            }
            if (released) {
                throw new LockLostException("the " + name + " " + dir + " was already released");
            }
            LockHolder top = RetrainLock.this.holder().orElse(null);
            if (top == null || !top.token().equals(current.token())) {
                throw lostTo(top);
            }
            if (top.expired(now())) {
                throw new LockLostException("our lease on " + dir + " expired at " + top.expiresAt()
                        + " (no heartbeat); another run may take over at any moment");
            }
        }

        private LockLostException lostTo(LockHolder other) {
            return new LockLostException("the " + name + " " + dir + " was taken over"
                    + (other == null ? " and released" : " by " + other.describe())
                    + " after our lease expired; stopping without further changes");
        }

        /** Renews the lease every {@code every} from a daemon thread until the lease is closed. */
        public synchronized void keepAlive(Duration every) {
            if (heartbeat != null) {
                return;
            }
            heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, name.replace(' ', '-') + "-heartbeat");
                t.setDaemon(true);
                return t;
            });
            heartbeat.scheduleAtFixedRate(() -> {
                try {
                    renew();
                } catch (IOException e) {
                    lost = e;
                    LOG.error("{} heartbeat failed: {}", name, e.getMessage());
                    heartbeat.shutdown();
                }
            }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }

        /**
         * Also releases the lease when the JVM shuts down without closing it (Ctrl-C, SIGTERM), so a stopped run
         * can be resumed at once; after {@code kill -9} the lease still has to expire.
         */
        public synchronized void releaseOnShutdown() {
            if (shutdownHook != null) {
                return;
            }
            shutdownHook = new Thread(() -> {
                try {
                    close();
                } catch (IOException e) {
                    LOG.warn("could not release the {} {} at shutdown: {}", name, dir, e.getMessage());
                }
            }, name.replace(' ', '-') + "-release");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }

        /** Releases the lock: deletes our lease if it is still the current one. */
        @Override
        public synchronized void close() throws IOException {
            if (released) {
                return;
            }
            released = true;
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down already
                }
            }
            if (heartbeat != null) {
                heartbeat.shutdownNow();
            }
            Path mine = new Path(dir, String.format("lease-%010d.json", current.generation()));
            try {
                Optional<LockHolder> top = RetrainLock.this.holder();
                if (top.isPresent() && !top.get().token().equals(current.token())) {
                    LOG.warn("{} {} had been taken over by {} before we released it", name, dir,
                            top.get().describe());
                }
            } catch (IOException e) {
                // e.g. HDFS without a live DataNode: the lease cannot be read, but deleting it needs only the
                // NameNode, and a failed run must not leave its lease to block the --resume
                LOG.warn("could not read the {} {} while releasing it: {}", name, dir, e.getMessage());
            }
            fs.delete(mine, false);
            LOG.info("released {} {} (run {})", name, dir, current.runId());
        }
    }
}
