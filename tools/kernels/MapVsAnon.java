import io.podserve.kernels.*;
import io.podserve.kernels.cpu.CpuBackend;
import io.podserve.model.weights.*;
import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/** Matvec GB/s on the same bf16 weights: mmapped from the checkpoint, copied to anonymous memory, and copied to memory advised for huge pages. */
public class MapVsAnon {
    static MethodHandle madvise;
    public static void main(String[] a) throws Throwable {
        Linker linker = Linker.nativeLinker();
        madvise = linker.downcallHandle(linker.defaultLookup().find("madvise").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        try (WeightStore store = WeightStore.open(Path.of(a[0])); CpuBackend be = CpuBackend.create()) {
            int experts = 128;
            Weights[][] sets = new Weights[3][];
            String[] names = new String[2 * experts + 1];
            for (int e = 0; e < experts; e++) {
                names[2 * e] = "model.layers.0.mlp.experts." + e + ".gate_proj.weight";
                names[2 * e + 1] = "model.layers.1.mlp.experts." + e + ".down_proj.weight";
            }
            names[2 * experts] = "lm_head.weight";
            Arena arena = Arena.ofShared();
            for (int v = 0; v < 3; v++) {
                sets[v] = new Weights[names.length];
                for (int i = 0; i < names.length; i++) {
                    Tensor t = store.tensor(names[i]);
                    MemorySegment data = t.data();
                    if (v > 0) {
                        MemorySegment copy = arena.allocate(data.byteSize(), 2 << 20);
                        if (v == 2) {
                            int rc = (int) madvise.invokeExact(copy, copy.byteSize(), 14);
                            if (rc != 0) System.out.println("madvise rc " + rc);
                        }
                        copy.copyFrom(data);
                        data = copy;
                    }
                    sets[v][i] = new Weights(WeightFormat.BF16, (int) t.dim(0), (int) t.dim(1), data);
                }
            }
            String[] label = {"mmapped", "anon", "anon+THP"};
            int[] order = java.util.Arrays.stream(System.getProperty("order", "0,1,2").split(",")).mapToInt(Integer::parseInt).toArray();
            for (int round = 0; round < 2; round++) {
                for (int v : order) {
                    Weights[] gates = new Weights[experts], downs = new Weights[experts];
                    for (int e = 0; e < experts; e++) { gates[e] = sets[v][2 * e]; downs[e] = sets[v][2 * e + 1]; }
                    System.out.printf("round %d %-9s head %.1f gate %.1f down %.1f GB/s (1 row); gate %.1f (3 rows)%n", round, label[v],
                            run(be, arena, new Weights[] {sets[v][2 * experts]}, 1), run(be, arena, gates, 1), run(be, arena, downs, 1), run(be, arena, gates, 3));
                }
            }
            System.out.println(new String(java.nio.file.Files.readAllBytes(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"))).trim());
        }
    }

    /** GB/s of the weights read by the best of a few grouped calls (the timing loop of {@link Scaling}). */
    static double run(CpuBackend be, Arena arena, Weights[] ws, int rows) {
        return Scaling.run(be, arena, ws, rows);
    }
}
