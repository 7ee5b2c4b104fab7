package io.podserve.units;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where the reference checkpoints are: the hf-tiny fixtures under {@code podserve.testdata} and the
 * project's small real models under {@code podserve.models}, both set by surefire.
 */
public final class Fixtures {
    private Fixtures() {
    }

    /** {@code testdata/hf-tiny/<name>}; skips the test when the folder is absent. */
    public static Path hfTiny(String name) {
        return folder("podserve.testdata", "hf-tiny", name);
    }

    /** {@code models/<name>}; skips the test when the folder is absent. */
    public static Path model(String name) {
        return folder("podserve.models", name);
    }

    private static Path folder(String property, String... parts) {
        String root = System.getProperty(property);
        assumeTrue(root != null, property + " is not set");
        Path dir = Path.of(root, parts);
        assumeTrue(Files.isDirectory(dir), dir + " is missing");
        return dir;
    }
}
