package io.reviewrnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A round's task result must survive Java serialization: Spark ships task results with the configured serializer,
 * and under the Java serializer (e.g. a session without the Kryo settings) DL4J's own result type is rejected.
 */
class KnownCountTrainingMasterTest {

    @Test
    void roundResultSurvivesJavaSerialization() throws Exception {
        var r = new KnownCountTrainingMaster.RoundResult(new ParameterAveragingTrainingResult(
                Nd4j.createFromArray(new float[][] {{1f, 2f, 3f}}), null, 0.25, null, null, null));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(r);
        }
        KnownCountTrainingMaster.RoundResult back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (KnownCountTrainingMaster.RoundResult) in.readObject();
        }
        assertEquals(r.params, back.params);
        assertNull(back.updaterState);
        assertEquals(0.25, back.score);
    }
}
