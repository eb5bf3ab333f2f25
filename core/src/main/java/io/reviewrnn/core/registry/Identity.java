package io.reviewrnn.core.registry;

import java.net.InetAddress;

/** Who is acting: user, host and process id, for lock holders and audit fields. */
record Identity(String user, String host, long pid) {

    /** Resolved once: a host name lookup can be slow when DNS is misconfigured. */
    private static final class Host {
        static final String NAME = hostName();
    }

    static Identity current() {
        return new Identity(System.getProperty("user.name", "unknown"), Host.NAME, ProcessHandle.current().pid());
    }

    String userAtHost() {
        return user + "@" + host;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | SecurityException e) {
            return env == null || env.isBlank() ? "unknown-host" : env;
        }
    }
}
