#!/usr/bin/python3
"""Writes the small tokenizer.json fixtures in testdata/tokenization/fixtures/.

They exercise the components the three real tokenizers (Gemma 3, CLIP, MiniLM) do not: Unigram with and without
byte fallback, the Precompiled normalizer, Metaspace schemes, WordPiece variants, BPE prefixes/suffixes and
ignore_merges, byte-level BPE with RoBERTa processing, every Split behavior, Digits, Punctuation, added-token
options, left padding and truncation. Vocabularies are built here: a tiny BPE trainer for merges, word and
subword lists for WordPiece/WordLevel/Unigram, and a darts-clone double-array builder for the precompiled charsmap.
The Rust library is the reference for whatever these files mean.

Usage: /usr/bin/python3 eng/references/tokenization/make_fixtures.py [output-folder]
"""
import base64
import collections
import json
import os
import re
import struct
import sys
import unicodedata

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(__file__))
import make_corpus  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "testdata", "tokenization", "fixtures")


def training_text():
    parts = []
    for phrases in make_corpus.SCRIPTS.values():
        parts.extend(phrases)
    parts += make_corpus.WORDS + make_corpus.NUMBERS + make_corpus.CODE + make_corpus.URLS
    return "\n".join(parts)


def words_of(text):
    return re.findall(r"\w+|[^\w\s]+", text)


# ---------------------------------------------------------------- BPE training (tiny, deterministic)

def train_bpe(words, merges_wanted, prefix=None, suffix=None):
    """Greedy BPE on word counts; ties broken by the pair's text. Returns (vocab list, merges list)."""
    counts = collections.Counter(words)
    seqs = {}
    symbols = set()
    for w in counts:
        chars = list(w)
        seq = []
        for i, c in enumerate(chars):
            s = c
            if i > 0 and prefix:
                s = prefix + s
            if i == len(chars) - 1 and suffix:
                s = s + suffix
            seq.append(s)
        seqs[w] = seq
        symbols.update(seq)
    merges = []
    for _ in range(merges_wanted):
        pairs = collections.Counter()
        for w, seq in seqs.items():
            for a, b in zip(seq, seq[1:]):
                pairs[(a, b)] += counts[w]
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], kv[0][0] + " " + kv[0][1]))
        (a, b), n = best
        if n < 2:
            break
        merged = a + (b[len(prefix):] if prefix and b.startswith(prefix) else b)
        merges.append([a, b])
        symbols.add(merged)
        for w, seq in seqs.items():
            out, i = [], 0
            while i < len(seq):
                if i + 1 < len(seq) and seq[i] == a and seq[i + 1] == b:
                    out.append(merged)
                    i += 2
                else:
                    out.append(seq[i])
                    i += 1
            seqs[w] = out
    return sorted(symbols), merges


def byte_alphabet():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


def byte_level_words(text):
    table = byte_alphabet()
    pattern = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?[^\s\w]+|\s+(?!\S)|\s+")
    out = []
    for piece in pattern.findall(text):
        out.append("".join(table[b] for b in piece.encode("utf-8")))
    return out


# ---------------------------------------------------------------- darts-clone double array (precompiled charsmap)

def build_charsmap(mapping):
    """SentencePiece's precompiled_charsmap: u32 trie size, the double-array units, then the NUL-separated targets."""
    blob = bytearray()
    values = {}
    for key in sorted(mapping):
        values[key] = len(blob)
        blob += mapping[key].encode("utf-8") + b"\0"

    # Byte trie.
    trie = [{}]
    terminal = [None]
    for key, value in values.items():
        node = 0
        for b in key.encode("utf-8"):
            if b not in trie[node]:
                trie[node][b] = len(trie)
                trie.append({})
                terminal.append(None)
            node = trie[node][b]
        terminal[node] = value

    size = 1 << 16
    units = [0] * size
    used = [False] * size
    used[0] = True
    position = {0: 0}
    queue = [0]
    while queue:
        node = queue.pop(0)
        labels = sorted(trie[node])
        if terminal[node] is not None:
            labels = [0] + labels
        if not labels:
            continue
        base = 1
        while True:
            if all(not used[base ^ c] for c in labels) and base not in position.values():
                break
            base += 1
        p = position[node]
        offset = p ^ base
        assert offset < (1 << 21)
        units[p] |= offset << 10
        if terminal[node] is not None:
            units[p] |= 1 << 8
            used[base] = True
            units[base] = 0x80000000 | terminal[node]
        for c in sorted(trie[node]):
            q = base ^ c
            used[q] = True
            units[q] = c
            position[trie[node][c]] = q
            queue.append(trie[node][c])
    last = max(i for i in range(size) if used[i]) + 1
    units = units[:last + 256]
    data = struct.pack("<I", len(units) * 4) + b"".join(struct.pack("<I", u) for u in units) + bytes(blob)
    return base64.b64encode(data).decode("ascii")


# ---------------------------------------------------------------- helpers

def added(id_, content, special=True, normalized=None, lstrip=False, rstrip=False, single_word=False):
    return {"id": id_, "content": content, "single_word": single_word, "lstrip": lstrip, "rstrip": rstrip,
            "normalized": (not special) if normalized is None else normalized, "special": special}


def template(single, pair, specials):
    def pieces(spec):
        out = []
        for item in spec.split():
            name, _, type_id = item.partition(":")
            type_id = int(type_id or 0)
            if name in ("$A", "$B"):
                out.append({"Sequence": {"id": name[1], "type_id": type_id}})
            else:
                out.append({"SpecialToken": {"id": name, "type_id": type_id}})
        return out
    return {"type": "TemplateProcessing", "single": pieces(single), "pair": pieces(pair),
            "special_tokens": {k: {"id": k, "ids": v, "tokens": [k] * len(v)} for k, v in specials.items()}}


def tokenizer(model, normalizer=None, pre_tokenizer=None, post_processor=None, decoder=None, added_tokens=()):
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": list(added_tokens),
            "normalizer": normalizer, "pre_tokenizer": pre_tokenizer, "post_processor": post_processor,
            "decoder": decoder, "model": model}


def write(name, tok, config=None):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name + ".json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(tok, f, ensure_ascii=False, indent=1)
        f.write("\n")
    cfg_path = os.path.join(OUT, name + ".config.json")
    if config is not None:
        with open(cfg_path, "w", encoding="utf-8", newline="\n") as f:
            json.dump(config, f, ensure_ascii=False, indent=1)
            f.write("\n")
    elif os.path.exists(cfg_path):
        os.remove(cfg_path)


def vocab_dict(tokens):
    out = {}
    for t in tokens:
        if t not in out:
            out[t] = len(out)
    return out


# ---------------------------------------------------------------- fixtures

def unigram_vocab(text, specials):
    words = words_of(text.lower()) + words_of(text)
    counts = collections.Counter(words)
    pieces = {}
    for w, n in counts.items():
        pieces["\u2581" + w] = pieces.get("\u2581" + w, 0) + n
        for i in range(len(w)):
            for j in range(i + 1, min(len(w), i + 4) + 1):
                pieces[w[i:j]] = pieces.get(w[i:j], 0) + n
    total = sum(pieces.values())
    scored = sorted(pieces.items(), key=lambda kv: (-kv[1], kv[0]))[:1500]
    vocab = [[s, 0.0] for s in specials]
    vocab += [["\u2581", -2.0]]
    vocab += [[p, round(-1.0 - (total / (n + 1)) ** 0.25, 6)] for p, n in scored if p != "\u2581"]
    return vocab


def main():
    text = training_text()
    seed_words = words_of(text)

    # Unigram + Metaspace (always, split) + byte fallback, EOS template; Gemma/T5-like.
    specials = ["<unk>", "<s>", "</s>", "<pad>"]
    uni = unigram_vocab(text, specials)
    uni_bytes = uni + [[f"<0x{b:02X}>", -20.0] for b in range(256)]
    write("unigram-metaspace-bytefallback", tokenizer(
        {"type": "Unigram", "unk_id": 0, "vocab": uni_bytes, "byte_fallback": True},
        normalizer={"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
        pre_tokenizer={"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        post_processor=template("$A </s>", "$A </s> $B:1 </s>:1", {"</s>": [2]}),
        decoder={"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "},
                                                   {"type": "ByteFallback"}, {"type": "Fuse"},
                                                   {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
        added_tokens=[added(0, "<unk>"), added(1, "<s>"), added(2, "</s>"), added(3, "<pad>")]),
        {"model_max_length": 32, "pad_token": "<pad>", "eos_token": "</s>", "tokenizer_class": "T5Tokenizer"})

    # Unigram without byte fallback (fused unknowns), Metaspace "first" without split, accent stripping; left side.
    write("unigram-first-nosplit", tokenizer(
        {"type": "Unigram", "unk_id": 0, "vocab": uni, "byte_fallback": False},
        normalizer={"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "StripAccents"}, {"type": "Lowercase"}]},
        pre_tokenizer={"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first", "split": False},
        post_processor=template("<s> $A", "<s> $A <s>:1 $B:1", {"<s>": [1]}),
        decoder={"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first", "split": False},
        added_tokens=[added(0, "<unk>"), added(1, "<s>"), added(2, "</s>"), added(3, "<pad>")]),
        {"model_max_length": 20, "pad_token": "<pad>", "padding_side": "left", "truncation_side": "left"})

    # Unigram + a precompiled charsmap (SentencePiece's normalizer) + Metaspace in its legacy form.
    charsmap = {"\u3000": " ", "\u00a0": " ", "\t": " ", "\r\n": "\n", "\r": "\n", "\u200b": "",
                "\uff76": "\u30ab", "\uff76\uff9e": "\u30ac", "\uff8a\uff9f": "\u30d1", "\uff8a": "\u30cf",
                "\ufb01": "fi", "\ufb00": "ff", "\u2460": "1", "\u2461": "2", "\u2026": "...", "\u2167": "VIII",
                "\u337f": "\u682a\u5f0f\u4f1a\u793e", "e\u0301": "\u00e9", "\u00df": "ss", "\u2019": "'",
                "\u201c": "\"", "\u201d": "\""}
    for c in range(0xFF01, 0xFF5F):
        charsmap[chr(c)] = chr(c - 0xFEE0)
    write("precompiled-unigram", tokenizer(
        {"type": "Unigram", "unk_id": 0, "vocab": uni_bytes, "byte_fallback": True},
        normalizer={"type": "Sequence", "normalizers": [{"type": "Precompiled", "precompiled_charsmap": build_charsmap(charsmap)},
                                                         {"type": "Strip", "strip_left": True, "strip_right": True}]},
        pre_tokenizer={"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"},
                                                              {"type": "Metaspace", "replacement": "\u2581", "add_prefix_space": True}]},
        post_processor=template("$A </s>", "$A </s> $B </s>", {"</s>": [2]}),
        decoder={"type": "Metaspace", "replacement": "\u2581", "add_prefix_space": True},
        added_tokens=[added(0, "<unk>"), added(1, "<s>"), added(2, "</s>"), added(3, "<pad>")]),
        {"pad_token": "<pad>"})

    # WordPiece with another prefix and a short word limit; whitespace split, digits, punctuation merged back.
    wp_vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    lower_words = collections.Counter(w.lower() for w in seed_words)
    for w, _ in lower_words.most_common(600):
        wp_vocab.append(w)
    chars = sorted(set("".join(lower_words)))
    wp_vocab += chars + ["@@" + c for c in chars]
    for w, _ in lower_words.most_common(300):
        for i in range(1, len(w) - 1):
            wp_vocab.append("@@" + w[i:i + 3])
    wp = vocab_dict(wp_vocab)
    write("wordpiece-variants", tokenizer(
        {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "@@", "max_input_chars_per_word": 12, "vocab": wp},
        normalizer={"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": False, "strip_accents": False, "lowercase": True},
        pre_tokenizer={"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "Digits", "individual_digits": True},
                                                              {"type": "Punctuation", "behavior": "MergedWithPrevious"}]},
        post_processor={"type": "BertProcessing", "sep": ["[SEP]", wp["[SEP]"]], "cls": ["[CLS]", wp["[CLS]"]]},
        decoder={"type": "WordPiece", "prefix": "@@", "cleanup": False},
        added_tokens=[added(wp["[PAD]"], "[PAD]"), added(wp["[UNK]"], "[UNK]"), added(wp["[CLS]"], "[CLS]"),
                      added(wp["[SEP]"], "[SEP]"), added(wp["[MASK]"], "[MASK]", lstrip=True),
                      added(len(wp), "newtok", special=False, single_word=True),
                      added(len(wp) + 1, "<sep/>", special=False, normalized=False, rstrip=True)]),
        {"model_max_length": 48, "pad_token": "[PAD]", "tokenizer_class": "BertTokenizer"})

    # Cased BERT: accents stripped without lowercasing, CJK padding, BertPreTokenizer, pair template.
    cased = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    cased_words = collections.Counter(seed_words)
    for w, _ in cased_words.most_common(700):
        stripped = "".join(c for c in unicodedata.normalize("NFD", w) if unicodedata.category(c) != "Mn")
        if stripped:
            cased.append(stripped)
    cchars = sorted(set("".join(cased_words)))
    cased += cchars + ["##" + c for c in cchars]
    cv = vocab_dict(cased)
    write("wordpiece-bert-cased", tokenizer(
        {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": cv},
        normalizer={"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": True, "lowercase": False},
        pre_tokenizer={"type": "Sequence", "pretokenizers": [{"type": "BertPreTokenizer"}, {"type": "Digits", "individual_digits": False}]},
        post_processor=template("[CLS] $A [SEP]", "[CLS] $A [SEP] $B:1 [SEP]:1", {"[CLS]": [cv["[CLS]"]], "[SEP]": [cv["[SEP]"]]}),
        decoder={"type": "WordPiece", "prefix": "##", "cleanup": True},
        added_tokens=[added(cv[t], t) for t in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]]),
        {"model_max_length": 64, "pad_token": "[PAD]", "padding_side": "left"})

    # Character BPE with a continuing-subword prefix, fused unknowns, several Split patterns.
    symbols, merges = train_bpe(seed_words, 700, prefix="##")
    bpe_vocab = vocab_dict(["<unk>", "<pad>", "<bos>", "<eos>", "<sep>"] + symbols)
    write("bpe-prefix-splits", tokenizer(
        {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": "##", "end_of_word_suffix": None,
         "fuse_unk": True, "byte_fallback": False, "ignore_merges": False, "vocab": bpe_vocab, "merges": merges},
        normalizer={"type": "Sequence", "normalizers": [{"type": "NFKD"}, {"type": "Replace", "pattern": {"String": "\u2019"}, "content": "'"}]},
        pre_tokenizer={"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": "\\p{N}{1,3}"}, "behavior": "Isolated", "invert": False},
            {"type": "Split", "pattern": {"String": "-"}, "behavior": "MergedWithNext", "invert": False},
            {"type": "Split", "pattern": {"Regex": "\\s+"}, "behavior": "Removed", "invert": False},
            {"type": "Punctuation", "behavior": "Isolated"}]},
        post_processor=template("<bos> $A <eos>", "<bos> $A <sep> <sep> $B:1 <eos>:1", {"<bos>": [2], "<eos>": [3], "<sep>": [4]}),
        decoder={"type": "WordPiece", "prefix": "##", "cleanup": True},
        added_tokens=[added(0, "<unk>"), added(1, "<pad>"), added(2, "<bos>"), added(3, "<eos>"), added(4, "<sep>"),
                      added(len(bpe_vocab), "[SPECIAL]", lstrip=True, rstrip=True),
                      added(len(bpe_vocab) + 1, "hello", special=False, normalized=True, single_word=True)]),
        {"model_max_length": 40, "pad_token": "<pad>", "padding_side": "left", "truncation_side": "left"})

    # Character BPE with an end-of-word suffix and ignore_merges; no unknown token (unknown characters vanish).
    ssym, smerges = train_bpe([w.lower() for w in seed_words], 500, suffix="</w>")
    svocab = vocab_dict(["<pad>", "<s>", "</s>"] + ssym + [w.lower() + "</w>" for w, _ in cased_words.most_common(50)])
    write("bpe-suffix-ignore-merges", tokenizer(
        {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None, "end_of_word_suffix": "</w>",
         "fuse_unk": False, "byte_fallback": False, "ignore_merges": True, "vocab": svocab,
         "merges": [a + " " + b for a, b in smerges]},
        normalizer={"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Lowercase"}, {"type": "Strip", "strip_left": True, "strip_right": False}]},
        pre_tokenizer={"type": "Whitespace"},
        post_processor=template("<s> $A </s>", "<s> $A </s> </s> $B </s>", {"<s>": [1], "</s>": [2]}),
        decoder={"type": "BPEDecoder", "suffix": "</w>"},
        added_tokens=[added(0, "<pad>"), added(1, "<s>"), added(2, "</s>"),
                      added(len(svocab), "<mask>", lstrip=True, rstrip=False)]),
        {"pad_token": "<pad>", "model_max_length": 24})

    # Byte-level BPE with RoBERTa's processing and offset trimming.
    bl_words = byte_level_words(text)
    bsym, bmerges = train_bpe(bl_words, 800)
    table = byte_alphabet()
    bvocab = vocab_dict(["<s>", "<pad>", "</s>", "<unk>"] + [table[b] for b in range(256)] + bsym)
    write("bytelevel-roberta", tokenizer(
        {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "", "end_of_word_suffix": "",
         "fuse_unk": False, "byte_fallback": False, "vocab": bvocab, "merges": bmerges},
        pre_tokenizer={"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        post_processor={"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0], "trim_offsets": True, "add_prefix_space": True},
        decoder={"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        added_tokens=[added(0, "<s>"), added(1, "<pad>"), added(2, "</s>"), added(3, "<unk>"),
                      added(len(bvocab), "<mask>", lstrip=True)]),
        {"pad_token": "<pad>", "model_max_length": 32, "tokenizer_class": "RobertaTokenizer"})

    # Byte-level BPE behind a Llama-3-style Split regex, ByteLevel without its own regex, sequence post-processor.
    write("bytelevel-split-regex", tokenizer(
        {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None, "end_of_word_suffix": None,
         "fuse_unk": False, "byte_fallback": False, "ignore_merges": True, "vocab": bvocab, "merges": bmerges},
        pre_tokenizer={"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"},
             "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        post_processor={"type": "Sequence", "processors": [
            {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
            template("<s> $A", "<s> $A <s>:1 $B:1", {"<s>": [0]})]},
        decoder={"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        added_tokens=[added(0, "<s>"), added(1, "<pad>"), added(2, "</s>"), added(3, "<unk>")]),
        {"pad_token": "<pad>"})

    # The ByteLevel normalizer in front of a byte-level BPE without pre-tokenizer.
    write("bytelevel-normalizer", tokenizer(
        {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None, "end_of_word_suffix": None,
         "fuse_unk": False, "byte_fallback": False, "vocab": bvocab, "merges": bmerges},
        normalizer={"type": "ByteLevel"},
        pre_tokenizer={"type": "Split", "pattern": {"String": "\u0120"}, "behavior": "MergedWithNext", "invert": False},
        decoder={"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        added_tokens=[added(0, "<s>"), added(1, "<pad>"), added(2, "</s>")]),
        {"pad_token": "<pad>"})

    # WordLevel with a character delimiter and a regex Replace; Prepend; a Sequence of post-processors.
    wl = vocab_dict(["<unk>", "<pad>", "[CLS]", "[SEP]"] + [w for w, _ in lower_words.most_common(800)] + ["#", "##", "###"])
    write("wordlevel-delimiter", tokenizer(
        {"type": "WordLevel", "unk_token": "<unk>", "vocab": wl},
        normalizer={"type": "Sequence", "normalizers": [{"type": "Lowercase"}, {"type": "Replace", "pattern": {"Regex": "[0-9]"}, "content": "#"},
                                                         {"type": "Prepend", "prepend": " "}, {"type": "Strip", "strip_left": False, "strip_right": True}]},
        pre_tokenizer={"type": "CharDelimiterSplit", "delimiter": " "},
        post_processor={"type": "Sequence", "processors": [{"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]}]},
        decoder={"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"Regex": "#+"}, "content": "0"}]},
        added_tokens=[added(0, "<unk>"), added(1, "<pad>"), added(2, "[CLS]"), added(3, "[SEP]")]),
        {"pad_token": "<pad>", "model_max_length": 16})

    # Every Split behavior, with and without invert, on the character BPE.
    for behavior in ["Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous"]:
        for invert in (False, True):
            name = "split-" + re.sub(r"(?<!^)([A-Z])", r"-\1", behavior).lower() + ("-invert" if invert else "")
            write(name, tokenizer(
                {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": "##", "end_of_word_suffix": None,
                 "fuse_unk": False, "byte_fallback": False, "vocab": bpe_vocab, "merges": merges},
                pre_tokenizer={"type": "Split", "pattern": {"Regex": "[\\s,.;:!?]+|\\p{Lu}"}, "behavior": behavior, "invert": invert},
                post_processor=template("<bos> $A <eos>", "<bos> $A <eos> $B:1 <eos>:1", {"<bos>": [2], "<eos>": [3]}),
                added_tokens=[added(0, "<unk>"), added(1, "<pad>"), added(2, "<bos>"), added(3, "<eos>")]),
                {"pad_token": "<pad>"})

    print(f"fixtures: {len([f for f in os.listdir(OUT) if not f.endswith('.config.json')])} tokenizers -> {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
