package io.podserve.xccl.moe;

import io.podserve.xccl.Communicator;

/** Placeholder until dispatch/combine land. */
public final class MoeRankScenario {
    public static void run(Communicator c, String args) {
        throw new UnsupportedOperationException(args);
    }
}
