package io.reviewrnn.core.registry;

/**
 * Where a version stands. Derived on every read from the champion pointer history and the rejection records, so it
 * can never disagree with the pointer.
 */
public enum VersionStatus {
    /** Registered, neither promoted nor rejected. */
    CANDIDATE,
    /** The current champion. */
    CHAMPION,
    /** A former champion still on the rollback stack; {@code rollback} can restore it. */
    PREVIOUS_CHAMPION,
    /** Was champion once, then replaced by a rollback or dropped from the rollback stack. */
    RETIRED,
    /** Lost the comparison with the champion (or was rejected by hand); the reason is recorded. */
    REJECTED
}
