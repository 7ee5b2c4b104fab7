package io.podserve.planner.cost;

import io.podserve.planner.catalog.Hardware;

import java.util.ArrayList;
import java.util.List;

/**
 * Step time of one attention worker of a MoE–attention disaggregated instance: {@code a}
 * attention chips (each its own data-parallel rank, owning its KV cache, dense layers, shared
 * experts and LM head) send every MoE layer's routed tokens to {@code e} expert chips and take the
 * results back. {@code m} micro-batches ping-pong between the two sides, so a MoE layer costs
 * the larger of m times its slowest stage and the sum of its stages (pipeline fill).
 */
public final class AfCost implements StepModel {
    private final Operators ops;
    private final Hardware hw;
    private final int attentionChips;
    private final int expertChips;
    private final int m;
    private final int slots;

    public AfCost(ModelShape shape, Precision precision, Hardware hw, int attentionChips, int expertChips, int microBatches) {
        if (!shape.isMoe()) {
            throw new IllegalArgumentException("MoE-attention disaggregation needs a MoE model; " + shape.name() + " is dense");
        }
        if (attentionChips < 1 || expertChips < 1 || microBatches < 1) {
            throw new IllegalArgumentException("attention chips, expert chips and micro-batches must be >= 1");
        }
        this.ops = new Operators(shape, precision, new Roofline(hw));
        this.hw = hw;
        this.attentionChips = attentionChips;
        this.expertChips = expertChips;
        this.m = microBatches;
        this.slots = Math.ceilDiv(shape.numExperts(), expertChips);
    }

    @Override
    public StepBreakdown breakdown(StepBatch batch) {
        StepBatch b = batch.split(m);
        ModelShape s = ops.shape();
        int moeLayers = s.numMoeLayers();
        List<OpCost> attn = new ArrayList<>();
        ops.embed(attn, b);
        ops.attention(attn, b, 1, s.numLayers());
        ops.denseFfn(attn, "dense_ffn", b.rows(), s.denseParams(), 1, s.numDenseLayers());
        ops.router(attn, b.rows(), moeLayers);
        ops.denseFfn(attn, "shared_experts", b.rows(), s.sharedParams(), 1, moeLayers);
        ops.head(attn, b, 1);

        List<OpCost> expert = new ArrayList<>();
        double tokens = (double) b.rows() * attentionChips;
        double groupRows = Operators.busiestGroupRows(tokens * s.topK(), expertChips);
        ops.experts(expert, groupRows, ops.touchedExperts(tokens, slots), 1, moeLayers);

        List<OpCost> comm = new ArrayList<>();
        double act = ops.precision().actBytes();
        // The busier end of each transfer bounds it: an attention chip sends its tokens' k copies,
        // an expert chip receives its busiest share of everyone's.
        double sent = Math.max((double) b.rows() * s.topK(), groupRows) * s.hidden();
        int span = attentionChips + expertChips;
        double dispatchBytes = sent * Math.min(act, ops.precision().experts().bytesPerElement());
        Operators.comm(comm, "af_dispatch", dispatchBytes, Comm.send(hw, span, dispatchBytes), moeLayers, 1);
        Operators.comm(comm, "af_combine", sent * act, Comm.send(hw, span, sent * act), moeLayers, 1);

        double a = sum(attn);
        double e = sum(expert);
        double c = sum(comm);
        double slowest = Math.max(a, Math.max(e, c));
        // Per layer: m micro-batches through three stages; the pipeline is bound by m * slowest
        // once full, by the sum of the stages while it fills.
        double busy = Math.max(m * slowest, a + e + c);
        List<OpCost> all = new ArrayList<>(StepTotals.repeat(attn, m));
        all.addAll(StepTotals.repeat(expert, m));
        all.addAll(StepTotals.repeat(comm, m));
        StepBreakdown host = StepTotals.close(StepTotals.repeat(attn, m), 1, hw, batch);
        double hostSeconds = host.ops().getLast().seconds();
        all.add(host.ops().getLast());
        double fixed = hw.stepOverhead() + batch.seqs() * hw.seqOverhead();
        double seconds = hw.hostAsync() ? Math.max(busy, hostSeconds - fixed) + fixed : busy + hostSeconds;
        return new StepBreakdown(all, seconds);
    }

    private static double sum(List<OpCost> ops) {
        return ops.stream().mapToDouble(OpCost::seconds).sum();
    }

    /** Weights on an attention chip (the fuller side for the KV budget). */
    @Override
    public double weightBytesPerChip() {
        ModelShape s = ops.shape();
        double wb = ops.precision().weights().bytesPerElement();
        return (double) s.numLayers() * s.attentionParams() * wb + (double) s.numDenseLayers() * s.denseParams() * wb
                + 2.0 * s.vocab() * s.hidden() * wb
                + (double) s.numMoeLayers() * (s.sharedParams() * wb + s.routerParams() * 2.0);
    }

    /** Weights on an expert chip. */
    public double expertBytesPerChip() {
        ModelShape s = ops.shape();
        return (double) s.numMoeLayers() * slots * s.expertParams() * ops.precision().experts().bytesPerElement();
    }

    @Override
    public double kvBytesPerToken() {
        ModelShape s = ops.shape();
        return (double) s.numLayers() * s.kvElementsPerToken() * ops.precision().kvBytes();
    }

    @Override
    public long kvCapacityTokens() {
        return RankCost.kvCapacity(hw, weightBytesPerChip(), kvBytesPerToken());
    }

    /** Whether the experts fit their chips. */
    public boolean expertsFit() {
        return expertBytesPerChip() <= hw.usableBytes() - RankCost.ACTIVATION_RESERVE * hw.memoryBytes();
    }
}
