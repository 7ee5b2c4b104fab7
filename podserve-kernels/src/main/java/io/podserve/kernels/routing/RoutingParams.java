package io.podserve.kernels.routing;

/**
 * A model's routing configuration, checked on construction.
 *
 * @param method        how logits become choices and weights
 * @param numExperts    routed experts (the router's output width)
 * @param topK          experts chosen per token
 * @param numGroups     {@link RoutingMethod#GROUPED_SIGMOID} only: contiguous expert groups
 *                      ({@code n_group}); 1 elsewhere
 * @param topkGroups    groups kept per token ({@code topk_group}); 1 when {@code numGroups} is 1
 * @param routedScaling {@link RoutingMethod#GROUPED_SIGMOID} only: final weight multiplier
 *                      ({@code routed_scaling_factor}); pass 1 elsewhere (it is ignored there)
 * @param normTopk      {@link RoutingMethod#GROUPED_SIGMOID} only: divide the k weights by their sum
 *                      ({@code norm_topk_prob}); the softmax methods say it by their method instead
 */
public record RoutingParams(RoutingMethod method, int numExperts, int topK, int numGroups, int topkGroups,
        float routedScaling, boolean normTopk) {

    public RoutingParams {
        if (method == null) {
            throw new IllegalArgumentException("routing method is null");
        }
        if (numExperts < 1 || topK < 1 || topK > numExperts) {
            throw new IllegalArgumentException("need 1 <= topK <= numExperts, got topK " + topK
                    + " of " + numExperts);
        }
        if (numGroups < 1 || numExperts % numGroups != 0 || topkGroups < 1 || topkGroups > numGroups) {
            throw new IllegalArgumentException("need numGroups dividing numExperts and 1 <= topkGroups <= numGroups,"
                    + " got " + topkGroups + " of " + numGroups + " groups over " + numExperts + " experts");
        }
        if (numGroups > 1 && method != RoutingMethod.GROUPED_SIGMOID) {
            throw new IllegalArgumentException(method + " has no expert groups, got numGroups " + numGroups);
        }
        int groupSize = numExperts / numGroups; // fields are not assigned yet in a compact constructor
        // A group's score is the sum of its best two experts, as DeepSeek-V3 defines it.
        if (numGroups > 1 && groupSize < 2) {
            throw new IllegalArgumentException("groups need at least 2 experts, got " + groupSize);
        }
        if (topkGroups * groupSize < topK) {
            throw new IllegalArgumentException(topkGroups + " kept groups of " + groupSize
                    + " experts cannot supply topK " + topK);
        }
    }

    /** Experts per group. */
    public int groupSize() {
        return numExperts / numGroups;
    }
}
