package io.podserve.model.tokenizer;

/**
 * One entry of {@code added_tokens}: text that maps to a single id wherever it appears, found
 * before the text is normalized and pre-tokenized.
 *
 * @param special skipped by {@code decode(ids, skipSpecialTokens=true)}
 * @param singleWord only matches where no word character touches it on either side
 * @param lstrip also takes the whitespace before it
 * @param rstrip also takes the whitespace after it
 * @param normalized matched against normalized text (its content normalized too) rather than raw
 */
record AddedToken(
        int id,
        String content,
        boolean special,
        boolean singleWord,
        boolean lstrip,
        boolean rstrip,
        boolean normalized) {}
