package io.reviewrnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The exchange's messages survive their byte encoding exactly, with and without their optional parts. */
class RoundExchangeCodecTest {

    @Test
    void reportsKeepTheirResultBitForBit() throws Exception {
        INDArray params = Nd4j.rand(DataType.FLOAT, 1, 37).subi(0.5);
        INDArray state = Nd4j.rand(DataType.FLOAT, 1, 74);
        var sent = new RoundExchange.Report(12, 1, 7, new KnownCountTrainingMaster.RoundResult(params, state, 0.6931));
        RoundExchange.Report got = RoundExchange.Codec.report(RoundExchange.Codec.report(sent));
        assertEquals(12, got.stageId());
        assertEquals(1, got.partition());
        assertEquals(7, got.round());
        assertEquals(0.6931, got.result().score);
        assertArrayEquals(params.toFloatVector(), got.result().params.toFloatVector());
        assertEquals(DataType.FLOAT, got.result().params.dataType());
        assertArrayEquals(state.toFloatVector(), got.result().updaterState.toFloatVector());

        var stateless = new RoundExchange.Report(12, 0, 3, new KnownCountTrainingMaster.RoundResult(params, null, 1));
        assertNull(RoundExchange.Codec.report(RoundExchange.Codec.report(stateless)).result().updaterState);
        var noData = new RoundExchange.Report(12, 1, 0, null);
        RoundExchange.Report empty = RoundExchange.Codec.report(RoundExchange.Codec.report(noData));
        assertNull(empty.result(), "round 0, or a worker without data in the round, reports no result");
        assertEquals(0, empty.round());
    }

    @Test
    void startsKeepParametersStateAndCounters() throws Exception {
        INDArray params = Nd4j.rand(DataType.FLOAT, 1, 41);
        INDArray state = Nd4j.rand(DataType.FLOAT, 1, 82);
        var sent = new ReusingTrainingWorker.Start(params, state, 315, 44);
        ReusingTrainingWorker.Start got = RoundExchange.Codec.start(RoundExchange.Codec.start(sent));
        assertArrayEquals(params.toFloatVector(), got.params().toFloatVector());
        assertArrayEquals(state.toFloatVector(), got.updaterState().toFloatVector());
        assertEquals(315, got.iterationCount());
        assertEquals(44, got.epochCount());
        assertNull(RoundExchange.Codec.start(RoundExchange.Codec.start(new ReusingTrainingWorker.Start(params, null,
                1, 1))).updaterState());
        ReusingTrainingWorker.Start done = null;
        assertNull(RoundExchange.Codec.start(RoundExchange.Codec.start(done)), "null: the epoch is done");
    }
}
