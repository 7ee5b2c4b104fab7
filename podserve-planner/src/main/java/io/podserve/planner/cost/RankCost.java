package io.podserve.planner.cost;

import io.podserve.planner.catalog.Hardware;

import java.util.ArrayList;
import java.util.List;

/**
 * Step time of one data-parallel rank of an instance laid out by a {@link Parallelism}: the
 * rank's {@code tp} chips run attention, dense FFN, shared experts and the LM head on the rank's
 * rows; all {@code dp} ranks step together through the MoE layers, whose experts spread over the
 * whole instance (every rank assumed to carry as many rows as this one).
 */
public final class RankCost implements StepModel {
    /** Memory held back from weights and KV for activations and workspace. */
    static final double ACTIVATION_RESERVE = 0.04;

    private final Operators ops;
    private final Parallelism par;
    private final Hardware hw;
    private final int slots;

    public RankCost(ModelShape shape, Precision precision, Hardware hw, Parallelism par) {
        this.ops = new Operators(shape, precision, new Roofline(hw));
        this.par = par;
        this.hw = hw;
        this.slots = shape.isMoe() ? Math.ceilDiv(shape.numExperts(), par.ep()) : 0;
    }

    public Parallelism parallelism() {
        return par;
    }

    @Override
    public StepBreakdown breakdown(StepBatch batch) {
        int m = par.microBatches();
        StepBatch b = batch.split(m);
        ModelShape s = ops.shape();
        int tp = par.tp();
        double act = ops.precision().actBytes();
        List<OpCost> out = new ArrayList<>();
        ops.embed(out, b);
        ops.attention(out, b, tp, s.numLayers());
        double arBytes = b.rows() * s.hidden() * act;
        Operators.comm(out, "tp_allreduce", arBytes, 2 * Comm.allReduce(hw, tp, arBytes), s.numLayers(), 2);
        ops.denseFfn(out, "dense_ffn", b.rows(), s.denseParams(), tp, s.numDenseLayers());
        if (s.isMoe()) {
            moe(out, b);
        }
        ops.head(out, b, tp);
        return StepTotals.close(StepTotals.repeat(out, m), m, hw, batch);
    }

    private void moe(List<OpCost> out, StepBatch b) {
        ModelShape s = ops.shape();
        int layers = s.numMoeLayers();
        double act = ops.precision().actBytes();
        ops.router(out, b.rows(), layers);
        ops.denseFfn(out, "shared_experts", b.rows(), s.sharedParams(), par.tp(), layers);
        double instanceRows = (double) b.rows() * par.dp();
        double groupRows = Operators.busiestGroupRows(instanceRows * s.topK(), par.ep());
        ops.experts(out, groupRows, ops.touchedExperts(instanceRows, slots), par.etp(), layers);
        if (par.ep() > 1) {
            double tokensPerChip = (double) b.rows() / par.tp();
            double copies = b.prefill() ? copiesPerToken(s) : s.topK();
            double dispatchBytes = tokensPerChip * copies * s.hidden() * Math.min(act, ops.precision().experts().bytesPerElement());
            double combineBytes = tokensPerChip * copies * s.hidden() * act;
            Operators.comm(out, "ep_dispatch", dispatchBytes, Comm.allToAll(hw, par.chips(), dispatchBytes), layers, 1);
            Operators.comm(out, "ep_combine", combineBytes, Comm.allToAll(hw, par.chips(), combineBytes), layers, 1);
        }
        if (par.etp() > 1) {
            double bytes = groupRows * s.hidden() * act;
            Operators.comm(out, "etp_allreduce", bytes, Comm.allReduce(hw, par.etp(), bytes), layers, 1);
        }
    }

    /**
     * Copies of a token the slowest link carries in a prefill step: all k inside a node; across
     * nodes one per destination node, at most the routing's group limit (DeepSeek sends a token to
     * at most 4 nodes and forwards inside each over the node link). Decode steps use latency-bound
     * kernels that send every token-expert pair directly (DeepEP's low-latency mode): k copies.
     */
    private double copiesPerToken(ModelShape s) {
        int nodes = Math.ceilDiv(par.chips(), hw.chipsPerNode());
        if (nodes <= 1 || hw.linkFor(par.chips()) != hw.cluster()) {
            return s.topK();
        }
        return Math.min(s.topK(), Math.min(nodes, s.routeGroups()));
    }

    @Override
    public double weightBytesPerChip() {
        ModelShape s = ops.shape();
        Precision p = ops.precision();
        double wb = p.weights().bytesPerElement();
        int tp = par.tp();
        double bytes = (double) s.numLayers() * s.attentionParams() * wb / tp
                + (double) s.numDenseLayers() * s.denseParams() * wb / tp
                + 2.0 * s.vocab() * s.hidden() * wb / tp;
        if (s.isMoe()) {
            bytes += (double) s.numMoeLayers() * ((double) s.sharedParams() * wb / tp + s.routerParams() * 2.0
                    + (double) slots * s.expertParams() * p.experts().bytesPerElement() / par.etp());
        }
        return bytes;
    }

    /** KV bytes one token costs on each chip of a rank (heads shard it unless MLA's latent is shared). */
    @Override
    public double kvBytesPerToken() {
        ModelShape s = ops.shape();
        return (double) s.numLayers() * s.kvElementsPerToken() * ops.precision().kvBytes() / Math.min(par.tp(), s.numKvHeads());
    }

    @Override
    public long kvCapacityTokens() {
        return kvCapacity(hw, weightBytesPerChip(), kvBytesPerToken());
    }

    /** Tokens of KV that fit beside {@code weights} in one chip's usable memory; 0 when nothing fits. */
    static long kvCapacity(Hardware hw, double weights, double kvPerToken) {
        double free = hw.usableBytes() - ACTIVATION_RESERVE * hw.memoryBytes() - weights;
        return free <= 0 ? 0 : (long) (free / kvPerToken);
    }
}
