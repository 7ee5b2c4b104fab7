import java.lang.foreign.*;
import java.nio.ByteOrder;
import jdk.incubator.vector.*;

/** All-thread read bandwidth when each thread reads its slice as S interleaved streams. */
public class Streams {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static volatile float sink;
    public static void main(String[] a) throws Exception {
        int threads = Integer.parseInt(a[0]);
        long size = 4L << 30;
        MemorySegment buf = Arena.global().allocate(size, 1 << 21);
        for (long i = 0; i < size; i += 4096) buf.set(ValueLayout.JAVA_BYTE, i, (byte) 1);
        for (int rep = 0; rep < 2; rep++) {
            for (int s : new int[] {1, 2, 4, 8, 16}) {
                double best = 0;
                for (int it = 0; it < 3; it++) {
                    long slice = size / threads / (s * 4096L) * (s * 4096L);
                    Thread[] ts = new Thread[threads];
                    long t0 = System.nanoTime();
                    for (int t = 0; t < threads; t++) {
                        long from = t * slice;
                        ts[t] = new Thread(() -> sink += read(buf, from, slice, s));
                        ts[t].start();
                    }
                    for (Thread t : ts) t.join();
                    best = Math.max(best, slice * threads / 1e9 / ((System.nanoTime() - t0) / 1e9));
                }
                System.out.printf("threads %d streams/thread %d: %.1f GB/s%n", threads, s, best);
            }
        }
    }
    static float read(MemorySegment b, long from, long bytes, int s) {
        long part = bytes / s, step = F.vectorByteSize();
        FloatVector acc = FloatVector.zero(F), acc2 = FloatVector.zero(F);
        for (long off = 0; off < part; off += 2 * step) {
            for (int j = 0; j < s; j++) {
                long at = from + j * part + off;
                acc = acc.add(FloatVector.fromMemorySegment(F, b, at, ByteOrder.LITTLE_ENDIAN));
                acc2 = acc2.add(FloatVector.fromMemorySegment(F, b, at + step, ByteOrder.LITTLE_ENDIAN));
            }
        }
        return acc.add(acc2).reduceLanes(VectorOperators.ADD);
    }
}
