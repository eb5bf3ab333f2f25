package io.reviewrnn.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class ModelSummaryTest {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSummaryTest.class);

    @Test
    void lstmTableMatchesKeras() {
        String table = ModelSummary.render(ModelFactoryTest.spec("lstm"), 500, 100);
        LOG.info("model-summary lstm:\n{}", table);
        assertTrue(table.contains("embedding (Embedding)"), table);
        assertTrue(table.matches("(?s).*embedding \\(Embedding\\)\\s+\\(None, 100, 16\\)\\s+8,000\n.*"), table);
        assertTrue(table.matches("(?s).*lstm \\(LSTM\\)\\s+\\(None, 8\\)\\s+800\n.*"), table);
        assertTrue(table.matches("(?s).*dense \\(Dense\\)\\s+\\(None, 1\\)\\s+9\n.*"), table);
        assertTrue(table.contains("Total params: 8,809"), table);
        assertTrue(table.contains("Trainable params: 8,809"), table);
    }

    @Test
    void stackedLayersReturnSequencesAndGetKerasNames() {
        List<ModelSummary.Row> rows = ModelSummary.rows(ModelFactoryTest.spec("lstm-2layer"), 500, 100);
        assertEquals(List.of(
                new ModelSummary.Row("embedding", "Embedding", "(None, 100, 16)", 8000),
                new ModelSummary.Row("lstm", "LSTM", "(None, 100, 8)", 800),
                new ModelSummary.Row("lstm_1", "LSTM", "(None, 8)", 544),
                new ModelSummary.Row("dense", "Dense", "(None, 1)", 9)), rows);
    }

    @Test
    void oneHotAndGruRows() {
        List<ModelSummary.Row> onehot = ModelSummary.rows(ModelFactoryTest.spec("simplernn-onehot"), 500, 100);
        assertEquals(new ModelSummary.Row("one_hot", "OneHot", "(None, 100, 500)", 0), onehot.get(0));
        assertEquals(new ModelSummary.Row("simple_rnn", "SimpleRNN", "(None, 8)", 4072), onehot.get(1));
        List<ModelSummary.Row> gru = ModelSummary.rows(ModelFactoryTest.spec("gru"), 500, 100);
        assertEquals(new ModelSummary.Row("gru", "GRU", "(None, 8)", 624), gru.get(1));
        for (String name : ModelFactoryTest.KERAS_PARAMS.keySet()) {
            String table = ModelSummary.render(ModelFactoryTest.spec(name), 500, 100);
            assertTrue(table.contains(String.format("Total params: %,d", ModelFactoryTest.KERAS_PARAMS.get(name))),
                    table);
        }
    }
}
