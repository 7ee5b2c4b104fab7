#!/usr/bin/env python3
"""Makes tokenizer reference vectors with the Hugging Face `tokenizers` library.

Run on the accelerator machine (it has `tokenizers`); nothing here needs a GPU.
  tokenizer_refs.py OUT_DIR
writes, for each tokenizer, OUT_DIR/NAME/expected_more.json (entries {text, ids, ids_special, decoded}),
and trains two small SentencePiece-style BPE tokenizers (byte fallback) that stand in for the
Mistral/Mixtral/Llama-2 families, whose hub files cannot be fetched here:
  spm_legacy    normalizer Prepend("▁")+Replace(" ","▁"), no pre-tokenizer (Llama-2/Mixtral hub form)
  spm_metaspace Metaspace pre-tokenizer (prepend_scheme "first", split) and Metaspace decoder
Each gets tokenizer.json and expected.json.
"""
import gzip, json, os, random, sys
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

CORPUS = "podserve-jmh/src/main/resources/corpus/mixed.txt.gz"
BYTE_LEVEL = {
    "qwen3": "testdata/tokenizers/qwen3/tokenizer.json.gz",
    "deepseek_v3": "testdata/tokenizers/deepseek_v3/tokenizer.json.gz",
    "fortune_moe": "models/fortune-moe/tokenizer.json",
}
EDGE_CASES = [
    "", " ", "  ", "a", " leading space", "trailing space ", "double  space", "a\n\nb\n", "\t tab\tand\ttabs",
    "line\r\nwindows", "emoji 🤖🎉 ok", "family 👨‍👩‍👧 zwj", "日本語のテキストです。", "中文文本，标点！", "한국어 텍스트",
    "مرحبا بالعالم", "Ünïcödé Café naïve", "e\u0301 combining", "I'm can't we'll they've you'd SHE'S", "123456789 3.14159 1,000,000",
    "<|im_start|>user\nhi<|im_end|>\n", "<s>hello</s>", "   many     spaces   ", "\n\n\n", "x" * 300,
    "def f(x):\n    return x ** 2  # square\n", "https://example.com/path?q=1&r=2", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math 𝟙𝟚𝟛", "\u00a0nbsp\u3000ideographic space",
]


def random_unicode(rng, n):
    pools = [(0x20, 0x7E), (0xA0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x4E00, 0x9FFF), (0x3040, 0x30FF),
             (0xAC00, 0xD7A3), (0x1F300, 0x1FAFF), (0x2000, 0x206F), (0x10000, 0x1007F)]
    out = []
    for _ in range(n):
        if rng.random() < 0.15:
            out.append(rng.choice([" ", "  ", "\n", "\t", "\r\n", "'s", "123"]))
        else:
            lo, hi = rng.choice(pools)
            out.append(chr(rng.randint(lo, hi)))
    return "".join(out)


def samples(corpus):
    rng = random.Random(7)
    paragraphs = [p for p in corpus.split("\n\n") if p.strip()]
    texts = list(EDGE_CASES)
    texts += [p[:600] for p in rng.sample(paragraphs, 160)]
    texts += [random_unicode(rng, rng.randint(1, 60)) for _ in range(120)]
    return texts


def expectations(tok, texts):
    out = []
    for t in texts:
        ids = tok.encode(t, add_special_tokens=False).ids
        out.append({"text": t, "ids": ids, "ids_special": tok.encode(t, add_special_tokens=True).ids,
                    "decoded": tok.decode(ids, skip_special_tokens=False)})
    return out


def with_byte_fallback_vocab(tok):
    """Rebuilds a trained BPE's vocab as SentencePiece lays it out: specials, then <0x00>..<0xFF>, then pieces."""
    spec = json.loads(tok.to_str())
    trained = spec["model"]["vocab"]
    specials = ["<unk>", "<s>", "</s>"]
    vocab = {s: i for i, s in enumerate(specials)}
    for b in range(256):
        vocab[f"<0x{b:02X}>"] = len(vocab)
    for piece, _ in sorted(trained.items(), key=lambda kv: kv[1]):
        if piece not in vocab:
            vocab[piece] = len(vocab)
    spec["model"]["vocab"] = vocab
    spec["model"]["byte_fallback"] = True
    spec["model"]["fuse_unk"] = True
    spec["model"]["unk_token"] = "<unk>"
    for added in spec["added_tokens"]:
        added["id"] = vocab[added["content"]]
    return Tokenizer.from_str(json.dumps(spec))


def train_spm(corpus, legacy):
    tok = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=True)
    trainer = trainers.BpeTrainer(vocab_size=3000, special_tokens=["<unk>", "<s>", "</s>"], limit_alphabet=300,
                                  show_progress=False)
    tok.train_from_iterator([p for p in corpus.split("\n\n") if p.strip()][:20000], trainer)
    tok = with_byte_fallback_vocab(tok)
    if legacy:
        tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
        tok.pre_tokenizer = None
        tok.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(),
                                         decoders.Strip(" ", 1, 0)])
    else:
        tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="first", split=True)
    tok.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A $B", special_tokens=[("<s>", 1)])
    return tok


def main(out_dir):
    corpus = gzip.open(CORPUS, "rt", encoding="utf-8").read()
    texts = samples(corpus)
    for name, path in BYTE_LEVEL.items():
        raw = gzip.open(path, "rt", encoding="utf-8").read() if path.endswith(".gz") else open(path, encoding="utf-8").read()
        tok = Tokenizer.from_str(raw)
        os.makedirs(f"{out_dir}/{name}", exist_ok=True)
        json.dump(expectations(tok, texts), open(f"{out_dir}/{name}/expected_more.json", "w"), ensure_ascii=False)
    for name, legacy in (("spm_legacy", True), ("spm_metaspace", False)):
        tok = train_spm(corpus, legacy)
        os.makedirs(f"{out_dir}/{name}", exist_ok=True)
        tok.save(f"{out_dir}/{name}/tokenizer.json")
        json.dump(expectations(tok, texts), open(f"{out_dir}/{name}/expected.json", "w"), ensure_ascii=False)
    print("wrote", out_dir)


if __name__ == "__main__":
    main(sys.argv[1])
