package io.reviewrnn.jobs.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The packaged job jar holds every class the deploy scripts name with {@code --class}. An IT because failsafe runs
 * after {@code package}, so the jar is there on a clean build too (a unit test ran before it existed).
 */
class DeployJarIT {

    @Test
    void theJobJarHoldsEveryClassADeployScriptSubmits() throws Exception {
        Path jar = DeployFiles.root().resolve("jobs/target/review-rnn-jobs.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: failsafe runs after package");
        Set<String> classes = DeployScriptsTest.scriptClasses();
        assertFalse(classes.isEmpty(), "no --class in deploy/**/*.sh");
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (String c : classes) {
                assertTrue(jf.getEntry(c.replace('.', '/') + ".class") != null, c + " is not in " + jar);
            }
        }
    }
}
