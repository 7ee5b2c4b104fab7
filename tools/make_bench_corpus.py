#!/usr/bin/env python3
"""Builds the tokenizer benchmark corpus: mixed English prose, source code and CJK text.

The corpus is committed (podserve-jmh/src/main/resources/corpus/mixed.txt.gz) because its sources
are whatever this machine has installed; this script documents where it came from and lets anyone
rebuild a similar one. English: the license texts in /usr/share/common-licenses and the English
message ids of installed gettext catalogs; code: Python's standard library sources; CJK: the
Chinese, Japanese and Korean translations in those catalogs. Paragraphs are shuffled with a fixed
seed so every kind of text is spread across the whole file.
"""
import glob, gzip, gettext, os, random, struct, sys

TARGET_BYTES = {"english": 1_900_000, "code": 1_500_000, "cjk": 800_000}


def mo_pairs(path):
    """Yields (msgid, msgstr) of a GNU .mo catalog."""
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    _, n, orig, trans = struct.unpack(order + "4I", data[4:20])
    for i in range(n):
        ol, oo = struct.unpack(order + "2I", data[orig + 8 * i: orig + 8 * i + 8])
        tl, to = struct.unpack(order + "2I", data[trans + 8 * i: trans + 8 * i + 8])
        try:
            yield data[oo:oo + ol].decode("utf-8"), data[to:to + tl].decode("utf-8")
        except UnicodeDecodeError:
            continue


def take(paragraphs, budget):
    out, size = [], 0
    for p in paragraphs:
        if size >= budget:
            break
        out.append(p)
        size += len(p.encode("utf-8"))
    return out


def main(out_path):
    english = []
    for f in sorted(glob.glob("/usr/share/common-licenses/*")):
        if os.path.isfile(f):
            english += [p for p in open(f, encoding="utf-8", errors="ignore").read().split("\n\n") if p.strip()]
    cjk = []
    for lang in ("zh_CN", "ja", "ko"):
        for mo in sorted(glob.glob(f"/usr/share/locale/{lang}/LC_MESSAGES/*.mo")):
            for msgid, msgstr in mo_pairs(mo):
                if msgid and len(msgid) > 20:
                    english.append(msgid.split("\x00")[0])
                if msgstr and len(msgstr) > 10:
                    cjk.append(msgstr.split("\x00")[0])
    code = []
    for f in sorted(glob.glob(os.path.join(os.path.dirname(os.__file__), "*.py"))):
        code += [p for p in open(f, encoding="utf-8", errors="ignore").read().split("\n\n\n") if p.strip()]
    rng = random.Random(20261126)
    for xs in (english, code, cjk):
        rng.shuffle(xs)
    parts = take(english, TARGET_BYTES["english"]) + take(code, TARGET_BYTES["code"]) + take(cjk, TARGET_BYTES["cjk"])
    rng.shuffle(parts)
    text = "\n\n".join(parts) + "\n"
    with gzip.GzipFile(out_path, "wb", mtime=0) as f:
        f.write(text.encode("utf-8"))
    print(f"{out_path}: {len(text.encode('utf-8'))} bytes, {len(text)} chars, {len(parts)} paragraphs")


if __name__ == "__main__":
    main(sys.argv[1])
