package io.podserve.units;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Where the hf-tiny reference checkpoints are: {@code podserve.testdata}, set by surefire. */
public final class Fixtures {
    private Fixtures() {
    }

    /** {@code testdata/hf-tiny/<name>}; skips the test when the folder is absent. */
    public static Path hfTiny(String name) {
        String root = System.getProperty("podserve.testdata");
        assumeTrue(root != null, "podserve.testdata is not set");
        Path dir = Path.of(root, "hf-tiny", name);
        assumeTrue(Files.isDirectory(dir), dir + " is missing");
        return dir;
    }
}
