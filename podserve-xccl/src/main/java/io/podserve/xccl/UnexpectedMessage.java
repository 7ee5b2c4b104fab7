package io.podserve.xccl;

import java.lang.foreign.MemorySegment;

/**
 * A message that arrived before its receive was posted, held in a pooled off-heap buffer. Eager buffering
 * keeps one peer's stream moving when the receiver posts its receives in another order than the sender sent
 * (interleaved tags), at the price of one extra copy for those messages only.
 */
final class UnexpectedMessage {

    final MemorySegment buffer;
    long tag;
    long messageBytes;
    long receivedBytes;

    UnexpectedMessage(MemorySegment buffer) {
        this.buffer = buffer;
    }

    boolean isComplete() {
        return receivedBytes == messageBytes;
    }
}
