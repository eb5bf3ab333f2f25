package io.reviewrnn.core.registry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * The content of one lease file, {@code lock/lease-<generation>.json}: who holds the retrain lock and until when.
 *
 * @param generation the lease file's number
 * @param token random owner token; only the process that knows it may renew or release the lease
 * @param runId the retrain run (or CLI action) holding the lock
 * @param host host name of the holder
 * @param pid process id of the holder
 * @param user OS user of the holder
 * @param startedAt when the holder first acquired the lock (ISO-8601 UTC)
 * @param heartbeatAt when the lease was last renewed (ISO-8601 UTC)
 * @param timeoutMillis the lease expires this long after {@code heartbeatAt} unless renewed
 */
public record LockHolder(
        @JsonProperty("generation") long generation,
        @JsonProperty("token") String token,
        @JsonProperty("run_id") String runId,
        @JsonProperty("host") String host,
        @JsonProperty("pid") long pid,
        @JsonProperty("user") String user,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("heartbeat_at") String heartbeatAt,
        @JsonProperty("timeout_millis") long timeoutMillis) {

    /** When the lease runs out if it is not renewed. */
    @JsonIgnore
    public Instant expiresAt() {
        return Instant.parse(heartbeatAt).plusMillis(timeoutMillis);
    }

    /** True when the lease ran out at {@code now}. */
    public boolean expired(Instant now) {
        return now.isAfter(expiresAt());
    }

    /** One line naming the holder, for error messages and logs. */
    public String describe() {
        return "run " + runId + " on host " + host + " (pid " + pid + ", user " + user + "), started " + startedAt
                + ", last heartbeat " + heartbeatAt + ", lease expires " + expiresAt();
    }

    LockHolder renewed(long nextGeneration, Instant now) {
        return new LockHolder(nextGeneration, token, runId, host, pid, user, startedAt, now.toString(),
                timeoutMillis);
    }
}
