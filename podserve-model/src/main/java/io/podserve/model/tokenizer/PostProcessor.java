package io.podserve.model.tokenizer;

import java.util.List;

/**
 * Adds special tokens around an encoded single sequence, as {@code "post_processor"} says. Only
 * {@code encode(text, addSpecialTokens=true)} calls it.
 */
interface PostProcessor {
    int[] process(int[] ids);

    /** Leaves ids as they are: no post-processor, or ByteLevel, which only trims offsets. */
    PostProcessor NONE = ids -> ids;

    /** TemplateProcessing's {@code single} template: fixed ids around the sequence. */
    record Template(int[] before, int[] after) implements PostProcessor {
        @Override
        public int[] process(int[] ids) {
            int[] out = new int[before.length + ids.length + after.length];
            System.arraycopy(before, 0, out, 0, before.length);
            System.arraycopy(ids, 0, out, before.length, ids.length);
            System.arraycopy(after, 0, out, before.length + ids.length, after.length);
            return out;
        }
    }

    /** Applies each post-processor in turn. */
    record Sequence(List<PostProcessor> steps) implements PostProcessor {
        @Override
        public int[] process(int[] ids) {
            for (PostProcessor step : steps) {
                ids = step.process(ids);
            }
            return ids;
        }
    }
}
