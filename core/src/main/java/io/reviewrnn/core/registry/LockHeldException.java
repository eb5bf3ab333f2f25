package io.reviewrnn.core.registry;

/** A lease lock ({@link RetrainLock}) is held by another live run; the message names it. */
public class LockHeldException extends RegistryException {
    private static final long serialVersionUID = 1L;

    private final transient LockHolder holder;

    public LockHeldException(String lockDir, LockHolder holder) {
        this("retrain lock", lockDir, holder);
    }

    /** {@code name} says what the lock guards, e.g. {@code retrain lock} or {@code run-directory lock}. */
    public LockHeldException(String name, String lockDir, LockHolder holder) {
        super("the " + name + " " + lockDir + " is held by another process: " + holder.describe() + ". Wait for"
                + " it to finish; if that process is gone, the lock can be taken over after the lease expires.");
        this.holder = holder;
    }

    /** The current holder. */
    public LockHolder holder() {
        return holder;
    }
}
