package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.model.ModelSpecSource;
import java.util.Iterator;

/** The names of the bundled model specs, for {@code --help} ({@code ${COMPLETION-CANDIDATES}}). */
final class BundledSpecs implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return ModelSpecSource.BUNDLED.iterator();
    }
}
