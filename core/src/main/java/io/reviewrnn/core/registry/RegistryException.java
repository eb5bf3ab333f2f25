package io.reviewrnn.core.registry;

import java.io.IOException;

/** A registry operation cannot be done as asked; the message says why and what to do. */
public class RegistryException extends IOException {
    private static final long serialVersionUID = 1L;

    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
