package io.reviewrnn.core.registry;

/**
 * This process no longer holds the retrain lock: its lease expired and another run took it over. The holder must
 * stop without changing the registry.
 */
public class LockLostException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public LockLostException(String message) {
        super(message);
    }
}
