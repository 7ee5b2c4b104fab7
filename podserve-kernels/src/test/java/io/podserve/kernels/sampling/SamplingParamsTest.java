package io.podserve.kernels.sampling;

import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Validation messages name the field and the allowed range: API users read them. */
class SamplingParamsTest {

    @Test
    void acceptsBoundaries() {
        new SamplingParams(0, 0, 1, 0, OptionalLong.empty(), 0);
        new SamplingParams(100, 5, 1e-9, 1, OptionalLong.of(-1), 20);
    }

    @Test
    void rejectsBadTemperature() {
        expect("temperature must be a finite number >= 0 (0 = greedy), got -0.5", -0.5, 0, 1, 0, 0);
        expect("temperature must be a finite number >= 0 (0 = greedy), got NaN", Double.NaN, 0, 1, 0, 0);
        expect("temperature must be a finite number >= 0 (0 = greedy), got Infinity",
                Double.POSITIVE_INFINITY, 0, 1, 0, 0);
    }

    @Test
    void rejectsBadTopK() {
        expect("top_k must be an integer >= 0 (0 = off), got -1", 1, -1, 1, 0, 0);
    }

    @Test
    void rejectsBadTopP() {
        expect("top_p must be in (0, 1] (1 = off), got 0.0", 1, 0, 0, 0, 0);
        expect("top_p must be in (0, 1] (1 = off), got 1.5", 1, 0, 1.5, 0, 0);
        expect("top_p must be in (0, 1] (1 = off), got NaN", 1, 0, Double.NaN, 0, 0);
    }

    @Test
    void rejectsBadMinP() {
        expect("min_p must be in [0, 1] (0 = off), got -0.1", 1, 0, 1, -0.1, 0);
        expect("min_p must be in [0, 1] (0 = off), got 1.01", 1, 0, 1, 1.01, 0);
    }

    @Test
    void rejectsBadLogprobs() {
        expect("logprobs must be an integer >= 0 (0 = none), got -3", 1, 0, 1, 0, -3);
    }

    @Test
    void rejectsNullSeed() {
        assertThrows(NullPointerException.class, () -> new SamplingParams(1, 0, 1, 0, null, 0));
    }

    @Test
    void topKIsOffAtZeroAndAtVocab() {
        SamplingParams p = Rows.params(1, 10, 1, 0, 1);
        assertTrue(p.topKActive(11));
        assertFalse(p.topKActive(10));
        assertFalse(Rows.params(1, 0, 1, 0, 1).topKActive(11));
    }

    private static void expect(String message, double temperature, int topK, double topP, double minP,
            int logprobs) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SamplingParams(temperature, topK, topP, minP, OptionalLong.empty(), logprobs));
        assertEquals(message, e.getMessage());
    }
}
