package io.reviewrnn.core.registry;

/** The retrain lock is held by another live run; the message names it. */
public class LockHeldException extends RegistryException {
    private static final long serialVersionUID = 1L;

    private final transient LockHolder holder;

    public LockHeldException(String lockDir, LockHolder holder) {
        super("another retrain holds the lock " + lockDir + ": " + holder.describe() + ". Wait for it to finish;"
                + " if that process is gone, the lock can be taken over after the lease expires.");
        this.holder = holder;
    }

    /** The current holder. */
    public LockHolder holder() {
        return holder;
    }
}
