package io.podserve.planner.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HardwareCatalogTest {
    @Test
    void builtinHasEveryRequiredChip() {
        HardwareCatalog c = HardwareCatalog.builtin();
        for (String name : List.of("h100-sxm", "h800", "h200", "a100", "ascend-910b", "ascend-910c", "cloudmatrix384")) {
            Hardware h = c.get(name);
            assertTrue(h.peak("bf16") > 0 && h.memoryBandwidth() > 0 && h.memoryBytes() > 0, name);
        }
    }

    @Test
    void extendsInheritsAndOverrides() {
        HardwareCatalog c = HardwareCatalog.builtin();
        Hardware h100 = c.get("h100-sxm");
        Hardware h800 = c.get("h800");
        assertEquals(h100.peak("fp8"), h800.peak("fp8"));
        assertEquals(200e9, h800.node().bandwidth());
        assertEquals(141e9, c.get("h200").memoryBytes());
        assertNull(h100.superpod());
        assertEquals(768, c.get("cloudmatrix384").superpodChips());
        // no fp8 on A100: GEMMs fall back to bf16
        assertEquals(c.get("a100").peak("bf16"), c.get("a100").peak("fp8"));
    }

    @Test
    void userFileAddsAndOverrides(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mine.yaml");
        Files.writeString(f, """
                hardware:
                  - name: h200
                    extends: h100-sxm
                    memory: {bytes: 100e9}
                  - name: tiny
                    extends: a100
                    memory: {bytes: 16e9}
                """);
        HardwareCatalog c = HardwareCatalog.load(List.of(f));
        assertEquals(100e9, c.get("h200").memoryBytes());
        assertEquals(3.35e12, c.get("h200").memoryBandwidth());
        assertEquals(16e9, c.get("tiny").memoryBytes());
        assertEquals(2.039e12, c.get("tiny").memoryBandwidth());
    }

    @Test
    void badProfilesNameTheField(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, """
                hardware:
                  - name: broken
                    extends: a100
                    memory: {bandwidth: fast}
                """);
        var e = assertThrows(IllegalArgumentException.class, () -> HardwareCatalog.load(List.of(f)).get("broken"));
        assertTrue(e.getMessage().contains("memory.bandwidth") && e.getMessage().contains("broken"), e.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> HardwareCatalog.builtin().get("tpu"));
        assertTrue(unknown.getMessage().contains("h100-sxm"), unknown.getMessage());
    }

    @Test
    void efficiencyCurveInterpolatesInLogSize() {
        EfficiencyCurve c = new EfficiencyCurve(List.of(new double[] {1, 0.2}, new double[] {100, 0.8}));
        assertEquals(0.2, c.at(0.5));
        assertEquals(0.5, c.at(10), 1e-12);
        assertEquals(0.8, c.at(1e6));
        assertThrows(IllegalArgumentException.class, () -> new EfficiencyCurve(List.of(new double[] {1, 1.5})));
    }
}
