package io.podserve.planner.search;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrategyTest {
    @Test
    void parsesEveryShapeAndPrintsItBack() {
        for (String s : new String[] {"tp8", "tp1dp8ep8x4", "P:tp1dp32ep32mb2x3+D:tp1dp144ep144mb2", "P:tp8x2+AF:a8e16mb3x2"}) {
            assertEquals(s, Strategy.parse(s).toString());
        }
        Strategy pd = Strategy.parse("P:dp32ep32x3+D:dp144ep144");
        assertEquals(3 * 32 + 144, pd.chips());
        assertEquals("pd", pd.kind());
        assertEquals(144, pd.decode().ranks());
        Strategy af = Strategy.parse("P:tp8x2+AF:a8e16mb3x2");
        assertEquals(16 + 48, af.chips());
        assertEquals(16, af.decode().ranks());
        assertEquals("pd+af", af.kind());
    }

    @Test
    void badStrategiesSayWhy() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Strategy.parse("tp8+tp4")).getMessage()
                .contains("P side followed by a D or AF side"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Strategy.parse("tq8")).getMessage()
                .contains("cannot read strategy side"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Strategy.parse("AF:tp2a4e4")).getMessage()
                .contains("AF side takes a, e and mb"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Strategy.parse("tp2dp2ep3")).getMessage()
                .contains("must divide"));
    }

    @Test
    void bisectionFindsTheThreshold() {
        assertEquals(7.3, Goodput.bisect(r -> r <= 7.3, 5), 7.3 * 0.01);
        assertEquals(7.3, Goodput.bisect(r -> r <= 7.3, 100), 7.3 * 0.01 + 130.0 / 512);
        assertEquals(0, Goodput.bisect(r -> false, 5));
    }
}
