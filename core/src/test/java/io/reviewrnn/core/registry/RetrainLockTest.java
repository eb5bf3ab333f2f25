package io.reviewrnn.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrainLockTest {
    static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    @TempDir
    java.nio.file.Path tmp;

    FileSystem fs;
    MutableClock clock;
    RetrainLock lock;

    @BeforeEach
    void setUp() throws IOException {
        fs = FileSystem.getLocal(new Configuration());
        clock = new MutableClock(Instant.parse("2026-01-01T02:00:00Z"));
        lock = new RetrainLock(fs, new Path(tmp.resolve("lock").toUri()), clock);
    }

    @Test
    void theSecondAcquirerFailsFastNamingTheHolder() throws IOException {
        try (RetrainLock.Lease a = lock.acquire("nightly-2026-01-01", TEN_MINUTES)) {
            long t0 = System.nanoTime();
            LockHeldException e = assertThrows(LockHeldException.class,
                    () -> lock.acquire("manual-run", TEN_MINUTES));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "fails fast, does not wait");
            String msg = e.getMessage();
            LockHolder h = a.holder();
            assertTrue(msg.contains("run nightly-2026-01-01"), msg);
            assertTrue(msg.contains("host " + h.host()), msg);
            assertTrue(msg.contains("pid " + ProcessHandle.current().pid()), msg);
            assertTrue(msg.contains("started 2026-01-01T02:00:00Z"), msg);
            assertEquals(h.token(), e.holder().token());
            a.assertHeld();
        }
        // Released: the next run gets it.
        try (RetrainLock.Lease b = lock.acquire("manual-run", TEN_MINUTES)) {
            assertEquals("manual-run", lock.holder().orElseThrow().runId());
        }
        assertTrue(lock.holder().isEmpty());
    }

    @Test
    void aStaleLockIsTakenOverOnlyAfterItsTimeout() throws IOException {
        RetrainLock.Lease crashed = lock.acquire("crashed-run", TEN_MINUTES);
        clock.advance(Duration.ofMinutes(9));
        assertThrows(LockHeldException.class, () -> lock.acquire("next-run", TEN_MINUTES));
        clock.advance(Duration.ofMinutes(2));
        RetrainLock.Lease next = lock.acquire("next-run", TEN_MINUTES);
        assertEquals("next-run", lock.holder().orElseThrow().runId());
        // The old holder, should it wake up, learns it lost the lock and cannot renew or remove the new lease.
        assertThrows(LockLostException.class, crashed::assertHeld);
        assertThrows(LockLostException.class, crashed::renew);
        crashed.close();
        assertEquals("next-run", lock.holder().orElseThrow().runId());
        next.assertHeld();
        LockHeldException e = assertThrows(LockHeldException.class, () -> lock.acquire("third", TEN_MINUTES));
        assertTrue(e.getMessage().contains("next-run"), e.getMessage());
        next.close();
    }

    @Test
    void renewingKeepsTheLeaseAlive() throws IOException {
        try (RetrainLock.Lease a = lock.acquire("long-run", TEN_MINUTES)) {
            long g = a.holder().generation();
            clock.advance(Duration.ofMinutes(8));
            a.renew();
            assertEquals(g + 1, a.holder().generation());
            assertEquals("2026-01-01T02:00:00Z", a.holder().startedAt(), "start time is kept");
            clock.advance(Duration.ofMinutes(7));
            assertThrows(LockHeldException.class, () -> lock.acquire("other", TEN_MINUTES));
            a.assertHeld();
            clock.advance(Duration.ofMinutes(4));
            assertThrows(LockLostException.class, a::assertHeld, "expired leases are not held");
            // Nobody took it over yet, so a late heartbeat still renews it.
            a.renew();
            a.assertHeld();
        }
    }

    @Test
    void keepAliveRenewsFromABackgroundThread() throws Exception {
        RetrainLock real = new RetrainLock(fs, new Path(tmp.resolve("lock2").toUri()), java.time.Clock.systemUTC());
        try (RetrainLock.Lease a = real.acquire("heartbeat", Duration.ofSeconds(30))) {
            long g = a.holder().generation();
            a.keepAlive(Duration.ofMillis(50));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (a.holder().generation() < g + 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(a.holder().generation() >= g + 2, "heartbeat renewed the lease");
            a.assertHeld();
        }
        assertTrue(real.holder().isEmpty());
    }

    @Test
    void ofManySimultaneousAcquirersExactlyOneWins() throws Exception {
        assertEquals(1, race(lock, 8));
    }

    @Test
    void ofManySimultaneousBreakersOfAStaleLockExactlyOneWins() throws Exception {
        lock.acquire("crashed", TEN_MINUTES);
        clock.advance(Duration.ofHours(1));
        assertEquals(1, race(lock, 8));
        assertFalse(lock.holder().orElseThrow().runId().equals("crashed"));
    }

    /** Starts {@code n} acquirers at once and returns how many got the lock; the others must be refused. */
    static int race(RetrainLock lock, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String run = "racer-" + i;
            results.add(pool.submit(() -> {
                go.await();
                try {
                    lock.acquire(run, TEN_MINUTES);
                    return true;
                } catch (LockHeldException e) {
                    return false;
                }
            }));
        }
        go.countDown();
        int won = 0;
        for (Future<Boolean> f : results) {
            won += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        return won;
    }

    @Test
    void aRunDirectoryLockLivesInTheRunDirectoryAndIsReleasedWithTheRun() throws IOException {
        Path runDir = new Path(tmp.resolve("runs/lstm").toUri());
        RetrainLock runLock = RetrainLock.ofRunDirectory(fs, runDir);
        assertEquals(fs.makeQualified(new Path(runDir, RetrainLock.RUN_DIRECTORY_LOCK)), runLock.dir());
        try (RetrainLock.Lease a = runLock.acquireForRun("train (Spark application local-1)")) {
            assertEquals(RetrainLock.RUN_LEASE_TIMEOUT.toMillis(), a.holder().timeoutMillis());
            LockHeldException e = assertThrows(LockHeldException.class,
                    () -> RetrainLock.ofRunDirectory(fs, runDir).acquireForRun("train (Spark application local-2)"));
            assertTrue(e.getMessage().startsWith("the run-directory lock " + runLock.dir()), e.getMessage());
            assertTrue(e.getMessage().contains("run train (Spark application local-1)"), e.getMessage());
        }
        assertTrue(runLock.holder().isEmpty(), "released");
        RetrainLock.ofRunDirectory(fs, runDir).acquireForRun("next").close();
    }
}
