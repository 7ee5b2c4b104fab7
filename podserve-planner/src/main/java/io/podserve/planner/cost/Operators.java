package io.podserve.planner.cost;

import java.util.List;

/**
 * The operators of a transformer step on one chip, as FLOPs and bytes on the roofline. Shared by
 * every deployment shape: a shape decides which chip runs which operator over how many rows.
 * Linear layers count 2 FLOPs per weight per row; their bytes are the weights (read once per
 * step) plus the activations in and out.
 */
final class Operators {
    private final ModelShape s;
    private final Precision p;
    private final Roofline roofline;
    private final String dtype;
    private final String expertDtype;

    Operators(ModelShape s, Precision p, Roofline roofline) {
        this.s = s;
        this.p = p;
        this.roofline = roofline;
        this.dtype = p.weights().computeDtype();
        this.expertDtype = p.experts().computeDtype();
    }

    ModelShape shape() {
        return s;
    }

    Precision precision() {
        return p;
    }

    /** Embedding lookup: reads the batch's rows only. */
    void embed(List<OpCost> out, StepBatch b) {
        out.add(roofline.elementwise("embed", 0, b.rows() * s.hidden() * p.actBytes(), 1, 1));
    }

    /**
     * Attention of {@code layers} layers on one of {@code tp} chips: the two RMSNorms around it,
     * q/k/v (or MLA) projections, attention over the cache, and the output projection.
     */
    void attention(List<OpCost> out, StepBatch b, int tp, int layers) {
        double t = b.rows();
        double h = s.hidden();
        double act = p.actBytes();
        double wb = p.weights().bytesPerElement();
        out.add(roofline.elementwise("norms", 8 * t * h, 4 * t * h * act, layers, 2));
        boolean mla = s.kvUpParams() > 0;
        double qkv = (double) s.qkvParams() / tp;
        out.add(roofline.gemm("qkv_proj", t, 2 * t * qkv, qkv * wb + t * h * act, dtype, layers, mla ? 4 : 2,
                OpCost.Kind.WEIGHTS));
        double heads = (double) s.numHeads() / tp;
        double kvShard = Math.min(tp, s.numKvHeads());
        double kvBytes = s.kvElementsPerToken() * p.kvBytes() / kvShard;
        double bytes = b.kvRead() * kvBytes + t * kvBytes;
        OpCost attn = roofline.attention("attention", t, 2 * b.attnPairs() * heads * (s.scoreDim() + s.valueDim()), bytes,
                "bf16", layers, 2);
        if (!mla) {
            out.add(attn);
        } else {
            // absorbed: kv_b folds into each query row; expanded: kv_b unpacks every context token
            double up = (double) s.kvUpParams() / tp;
            OpCost absorb = roofline.gemm("kv_b_absorbed", t, 2 * t * up, up * wb, dtype, layers, 2, OpCost.Kind.WEIGHTS);
            OpCost expand = roofline.gemm("kv_b_expand", b.kvRead(), 2 * b.kvRead() * up, up * wb
                    + b.kvRead() * heads * (s.mhaScoreDim() + s.mhaValueDim()) * act, dtype, layers, 2, OpCost.Kind.WEIGHTS);
            OpCost mhaAttn = roofline.attention("attention", t,
                    2 * b.attnPairs() * heads * (s.mhaScoreDim() + s.mhaValueDim()), bytes, "bf16", layers, 2);
            boolean expanded = expand.seconds() + mhaAttn.seconds() < absorb.seconds() + attn.seconds();
            out.add(expanded ? expand : absorb);
            out.add(expanded ? mhaAttn : attn);
        }
        double o = (double) s.oParams() / tp;
        out.add(roofline.gemm("o_proj", t, 2 * t * o, o * wb + t * h * act, dtype, layers, 1, OpCost.Kind.WEIGHTS));
    }

    /** Dense FFN (gate, up, down) over {@code rows} rows, sharded {@code tp} ways. */
    void denseFfn(List<OpCost> out, String name, double rows, long params, int tp, int layers) {
        if (params == 0 || layers == 0) {
            return;
        }
        double w = (double) params / tp;
        out.add(roofline.gemm(name, rows, 2 * rows * w, w * p.weights().bytesPerElement()
                + 2 * rows * s.hidden() * p.actBytes(), dtype, layers, 3, OpCost.Kind.WEIGHTS));
    }

    /** Router logits and top-k over {@code rows} rows (replicated on each chip). */
    void router(List<OpCost> out, double rows, int layers) {
        double w = s.routerParams();
        out.add(roofline.gemm("router", rows, 2 * rows * w, w * 2 + rows * s.numExperts() * 4, "bf16", layers, 3,
                OpCost.Kind.WEIGHTS));
    }

    /**
     * Routed experts on one chip: {@code groupRows} token-expert rows reach its expert group of
     * {@code slots} experts, each expert sharded {@code etp} ways; {@code touched} of the slots
     * receive at least one row, and only their weights are read.
     */
    void experts(List<OpCost> out, double groupRows, double touched, int etp, int layers) {
        double w = (double) s.expertParams() / etp;
        double rowsPerExpert = groupRows / Math.max(1, touched);
        double bytes = touched * w * p.experts().bytesPerElement() + 2 * groupRows * s.hidden() * p.actBytes();
        int kernels = roofline.hardware().groupedExperts() ? 3 : 3 * (int) Math.ceil(touched);
        out.add(roofline.gemm("experts", rowsPerExpert, 2 * groupRows * w, bytes, expertDtype, layers, kernels,
                OpCost.Kind.WEIGHTS));
    }

    /** Final norm and LM head over the sampled rows, vocabulary sharded {@code tp} ways, then sampling. */
    void head(List<OpCost> out, StepBatch b, int tp) {
        double w = (double) s.vocab() * s.hidden() / tp;
        double rows = b.sampled();
        out.add(roofline.gemm("lm_head", rows, 2 * rows * w, w * p.weights().bytesPerElement(), dtype, 1, 2,
                OpCost.Kind.WEIGHTS));
        out.add(roofline.elementwise("sampling", 5 * rows * s.vocab() / tp, rows * s.vocab() * 4.0 / tp, 1, 2));
    }

    /** A communication operator of {@code layers} layers, each taking {@code seconds}. */
    static void comm(List<OpCost> out, String name, double bytes, double seconds, int layers, int kernels) {
        if (seconds > 0) {
            out.add(new OpCost(name, OpCost.Kind.COMM, 0, bytes * layers, seconds * layers, kernels * layers));
        }
    }

    /**
     * Rows the busiest of {@code groups} expert groups receives when {@code assignments}
     * token-expert pairs spread over them uniformly at random: the mean plus the expected maximum
     * excess of a multinomial, sigma * sqrt(2 ln g) (the load imbalance EP adds to every MoE layer).
     */
    static double busiestGroupRows(double assignments, int groups) {
        if (groups <= 1) {
            return assignments;
        }
        double mean = assignments / groups;
        double sigma = Math.sqrt(assignments * (1.0 / groups) * (1 - 1.0 / groups));
        return Math.min(assignments, Math.max(Math.min(1, assignments), mean + sigma * Math.sqrt(2 * Math.log(groups))));
    }

    /** Expected experts among {@code slots} that at least one of {@code tokens} top-k routed tokens picks. */
    double touchedExperts(double tokens, double slots) {
        double pick = (double) s.topK() / s.numExperts();
        return slots * (1 - Math.pow(1 - pick, tokens));
    }
}
