package io.podserve.kernels.sampling;

/**
 * The scratch buffers of sampling and logprobs: about 16 bytes per vocab entry once used (2.4 MB at a
 * 150k vocab), nothing until then, so greedy decoding without logprobs never allocates them.
 * NOTE: the buffers are per call, not per sequence, so the samplers of all sequences that one thread
 * samples can share one workspace instead of holding a copy each; they must never run concurrently.
 */
public final class SamplingWorkspace {
    final Candidates candidates = new Candidates();
    private Logprobs logprobs;

    public SamplingWorkspace() {
    }

    Logprobs logprobs() {
        if (logprobs == null) {
            logprobs = new Logprobs();
        }
        return logprobs;
    }
}
