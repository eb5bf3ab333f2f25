package io.reviewrnn.core.model.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code impl: fast} through the model factory, for every spec in conf/models: the same parameter count and flat
 * parameter layout as {@code impl: reference}, so the reference network's parameters loaded into the fast one give
 * the same predictions, and the fast network trains.
 */
class FastFactoryParityTest {

    static List<Path> specs() throws Exception {
        Path dir = Path.of(System.getProperty("project.root", "..")).resolve("conf/models");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("../conf/models");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static ModelSpec withImpl(ModelSpec s, ModelSpec.Impl impl) {
        return ModelSpec.Builder.from(s).optImpl(impl).build();
    }

    @ParameterizedTest
    @MethodSource("specs")
    void fastMatchesReferenceOnTheSameParameters(Path file) {
        ModelSpec spec = ModelSpec.load(file);
        MultiLayerNetwork reference = ModelFactory.network(withImpl(spec, ModelSpec.Impl.REFERENCE), 500);
        MultiLayerNetwork fast = ModelFactory.network(withImpl(spec, ModelSpec.Impl.FAST), 500);
        assertEquals(reference.numParams(), fast.numParams(), file.toString());
        fast.setParams(reference.params().dup());

        Nd4j.getRandom().setSeed(3);
        INDArray ids = Nd4j.rand(DataType.FLOAT, 16, 100).muli(499).addi(0.5);
        ids = Nd4j.createFromArray(toInts(ids)).castTo(DataType.FLOAT);
        INDArray expected = reference.output(ids, false);
        INDArray actual = fast.output(ids, false);
        double maxDiff = expected.sub(actual).amax().getDouble(0);
        assertTrue(maxDiff < 1e-5, file + ": max |reference - fast| = " + maxDiff);

        INDArray labels = Nd4j.rand(DataType.FLOAT, 16, 1).gt(0.5).castTo(DataType.FLOAT);
        double before = fast.score(new org.nd4j.linalg.dataset.DataSet(ids, labels));
        for (int i = 0; i < 30; i++) {
            fast.fit(ids, labels);
        }
        double after = fast.score(new org.nd4j.linalg.dataset.DataSet(ids, labels));
        assertTrue(after < before, file + ": loss " + before + " -> " + after);
    }

    private static int[][] toInts(INDArray a) {
        int[][] out = new int[(int) a.rows()][(int) a.columns()];
        for (int r = 0; r < out.length; r++) {
            for (int c = 0; c < out[r].length; c++) {
                out[r][c] = (int) a.getDouble(r, c);
            }
        }
        return out;
    }
}
