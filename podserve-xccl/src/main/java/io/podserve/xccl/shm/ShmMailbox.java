package io.podserve.xccl.shm;

import io.podserve.xccl.XcclException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.podserve.xccl.shm.MailboxDescriptor.*;

/**
 * One mailbox (see {@link MailboxDescriptor}) mapped into this process: either this rank's own, created
 * here, or a peer's, opened by name. The mapping is shared by the communicator thread and the heartbeat
 * thread, and unmapped by {@link #close()}.
 *
 * <p>File names are {@code xccl-<ownerPid>-<rank>-<nonce>}: the pid lets a later run remove the files of
 * processes that died before they could ({@link #removeStale}).
 */
public final class ShmMailbox implements AutoCloseable {

    public static final String PREFIX = "xccl-";

    private final Path file;
    private final Arena arena;
    private final MemorySegment segment;
    private final int numSlots;
    private final int slotBytes;
    private final boolean owned;

    private ShmMailbox(Path file, Arena arena, MemorySegment segment, int numSlots, int slotBytes, boolean owned) {
        this.file = file;
        this.arena = arena;
        this.segment = segment;
        this.numSlots = numSlots;
        this.slotBytes = slotBytes;
        this.owned = owned;
    }

    /** Creates and maps this rank's mailbox in {@code dir}; every slot position starts at zero. */
    public static ShmMailbox create(Path dir, int rank, int numSenders, int numSlots, int slotBytes) {
        checkGeometry(numSlots, slotBytes);
        long pid = ProcessHandle.current().pid();
        Path file = dir.resolve(PREFIX + pid + "-" + rank + "-" + Long.toHexString(System.nanoTime()));
        long bytes = mailboxBytes(numSenders, numSlots, slotBytes);
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate(1), bytes - 1);   // sets the size; the file stays sparse
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
            writeHeader(seg, numSenders, numSlots, slotBytes, pid);
            return new ShmMailbox(file, arena, seg, numSlots, slotBytes, true);
        } catch (IOException e) {
            arena.close();
            throw new XcclException("cannot create shared-memory mailbox " + file + ": " + e.getMessage(), e);
        }
    }

    /** A mailbox in this process's memory only: the loopback ring of a TCP-only rank, in-process groups. */
    public static ShmMailbox anonymous(int numSenders, int numSlots, int slotBytes) {
        checkGeometry(numSlots, slotBytes);
        Arena arena = Arena.ofShared();
        MemorySegment seg = arena.allocate(mailboxBytes(numSenders, numSlots, slotBytes), PAGE_BYTES);
        writeHeader(seg, numSenders, numSlots, slotBytes, ProcessHandle.current().pid());
        return new ShmMailbox(null, arena, seg, numSlots, slotBytes, false);
    }

    private static void writeHeader(MemorySegment seg, int numSenders, int numSlots, int slotBytes, long pid) {
        seg.set(ValueLayout.JAVA_INT, VERSION_OFFSET, VERSION);
        seg.set(ValueLayout.JAVA_INT, NUM_SENDERS_OFFSET, numSenders);
        seg.set(ValueLayout.JAVA_INT, SLOT_BYTES_OFFSET, slotBytes);
        seg.set(ValueLayout.JAVA_INT, NUM_SLOTS_OFFSET, numSlots);
        seg.set(ValueLayout.JAVA_LONG, OWNER_PID_OFFSET, pid);
        seg.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
    }

    /** Maps a peer's mailbox and checks that its layout is the one this build expects. */
    public static ShmMailbox open(Path file, int numSenders, int numSlots, int slotBytes) {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long bytes = mailboxBytes(numSenders, numSlots, slotBytes);
            if (ch.size() != bytes) {
                throw new XcclException("mailbox " + file + " is " + ch.size() + " bytes, expected " + bytes
                        + ": the ranks disagree on world size, slot count or slot size");
            }
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
            if (seg.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET) != MAGIC
                    || seg.get(ValueLayout.JAVA_INT, VERSION_OFFSET) != VERSION
                    || seg.get(ValueLayout.JAVA_INT, SLOT_BYTES_OFFSET) != slotBytes
                    || seg.get(ValueLayout.JAVA_INT, NUM_SLOTS_OFFSET) != numSlots) {
                throw new XcclException("mailbox " + file + " has another layout (magic, version " + VERSION
                        + ", " + numSlots + " slots of " + slotBytes + " bytes expected)");
            }
            return new ShmMailbox(file, arena, seg, numSlots, slotBytes, false);
        } catch (IOException e) {
            arena.close();
            throw new XcclException("cannot map the mailbox " + file + " of a peer: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The file, or null for an anonymous mailbox. */
    public Path file() {
        return file;
    }

    /** The ring that {@code sender} writes into this mailbox (a fresh view; each side keeps its own). */
    public SlotRing ring(int sender) {
        return new SlotRing(segment, senderBlockOffset(sender, numSlots, slotBytes), numSlots, slotBytes);
    }

    /**
     * Removes the file name; the mapping stays valid in every process that has it. Called once all peers
     * have mapped this mailbox, so nothing is left in /dev/shm even if the process is killed later.
     */
    public void unlink() {
        if (owned) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new XcclException("cannot remove mailbox " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        try {
            unlink();
        } finally {
            arena.close();
        }
    }

    /** Removes mailboxes in {@code dir} whose owner process is gone; returns how many. */
    public static int removeStale(Path dir) {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path f : files) {
                long pid = ownerPid(f.getFileName().toString());
                if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                if (pid > 0 && Files.deleteIfExists(f)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            // Best effort: a directory we cannot list holds nothing of ours to clean.
        }
        return removed;
    }

    static long ownerPid(String fileName) {
        int end = fileName.indexOf('-', PREFIX.length());
        try {
            return end < 0 ? -1 : Long.parseLong(fileName.substring(PREFIX.length(), end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
