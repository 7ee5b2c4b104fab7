package io.podserve.planner.search;

import io.podserve.planner.cost.Parallelism;

/**
 * One kind of instance in a deployment and how many of it run.
 *
 * @param role       what the instances serve
 * @param tp         attention tensor parallelism (C, P, D)
 * @param dp         attention data-parallel ranks per instance (C, P, D)
 * @param ep         expert-parallel groups per instance (C, P, D)
 * @param attention  attention chips per instance (AF)
 * @param experts    expert chips per instance (AF)
 * @param mb         micro-batches overlapped per step
 * @param count      instances
 */
public record Side(Role role, int tp, int dp, int ep, int attention, int experts, int mb, int count) {

    /** The part of serving a side's instances do. */
    public enum Role {
        COLLOCATED("C"), PREFILL("P"), DECODE("D"), ATTENTION_FFN("AF");

        private final String tag;

        Role(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    public Side {
        if (count < 1 || mb < 1) {
            throw new IllegalArgumentException("instance count and micro-batches must be >= 1");
        }
        if (role == Role.ATTENTION_FFN ? attention < 1 || experts < 1 : tp < 1 || dp < 1 || ep < 1) {
            throw new IllegalArgumentException(role == Role.ATTENTION_FFN
                    ? "an AF side needs a (attention chips) and e (expert chips) >= 1"
                    : "tp, dp and ep must be >= 1");
        }
        if (role != Role.ATTENTION_FFN && (tp * dp) % ep != 0) {
            throw new IllegalArgumentException("ep" + ep + " must divide the instance's tp*dp = " + tp * dp + " chips");
        }
    }

    public int chipsPerInstance() {
        return role == Role.ATTENTION_FFN ? attention + experts : tp * dp;
    }

    public int chips() {
        return chipsPerInstance() * count;
    }

    /** Data-parallel ranks (schedulers) over all instances of this side. */
    public int ranks() {
        return (role == Role.ATTENTION_FFN ? attention : dp) * count;
    }

    public Parallelism parallelism() {
        return new Parallelism(tp, dp, ep, mb);
    }

    /** The same instances, {@code n} of them. */
    public Side withCount(int n) {
        return new Side(role, tp, dp, ep, attention, experts, mb, n);
    }

    /** The side without its count: what one instance is, the key its per-rank evaluation is cached by. */
    public Side shape() {
        return withCount(1);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (role != Role.COLLOCATED) {
            b.append(role.tag()).append(':');
        }
        if (role == Role.ATTENTION_FFN) {
            b.append('a').append(attention).append('e').append(experts);
        } else {
            b.append("tp").append(tp);
            if (dp > 1) {
                b.append("dp").append(dp);
            }
            if (ep > 1) {
                b.append("ep").append(ep);
            }
        }
        if (mb > 1) {
            b.append("mb").append(mb);
        }
        if (count > 1) {
            b.append('x').append(count);
        }
        return b.toString();
    }
}
