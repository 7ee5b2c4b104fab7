package io.podserve.xccl;

/**
 * Message tags. User tags are non-negative; negative tags are the library's own, one per collective, so a
 * collective never matches a user's receive. Within one (peer, tag) pair messages match in send order,
 * which is all a collective needs to tell its rounds apart.
 */
public final class Tags {

    public static final long ALL_GATHER = Long.MIN_VALUE | 1;
    public static final long BARRIER = Long.MIN_VALUE | 2;
    public static final long DISPATCH = Long.MIN_VALUE | 3;
    public static final long COMBINE = Long.MIN_VALUE | 4;

    private Tags() {
    }

    static void checkUserTag(long tag) {
        if (tag < 0) {
            throw new IllegalArgumentException("tag must be >= 0 (negative tags are xccl's own), got " + tag);
        }
    }
}
