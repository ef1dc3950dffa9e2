#!/usr/bin/python3
"""Writes testdata/tokenization/corpus.jsonl: the strings every tokenizer parity test encodes.

Deterministic (seeded). Each line is one JSON string. The corpus mixes hand-picked edge cases (special-token
literals, whitespace and control characters, combining marks, emoji sequences, supplementary-plane letters, empty
and very long strings) with generated strings that combine phrases in many scripts, numbers, code and URLs.

Usage: /usr/bin/python3 eng/references/tokenization/make_corpus.py [output]
"""
import json
import os
import random
import sys

SEED = 20240917
GENERATED = 2200

SCRIPTS = {
    "latin": [
        "The quick brown fox jumps over the lazy dog.",
        "Café crème brûlée à la française, s'il vous plaît.",
        "Größere Straßenbahnen fahren über die Brücke nach Köln.",
        "El niño pidió más jamón y una piña colada en Añorbe.",
        "Żółć gęślą jaźń — zażółć gęślą jaźń.",
        "Tiếng Việt có nhiều dấu thanh: ả, ấ, ậ, ẫ, ỗ.",
        "İstanbul'da ılık bir akşam; IĞDIR ve ışık.",
        "Þórr og Ægir sátu við eldinn í Reykjavík.",
        "Naïve coöperation of the façade's résumé.",
        "Smørrebrød og rødgrød med fløde på Ærø.",
        "São Paulo é a maior cidade do Brasil, não é?",
        "Dvořák složil Novosvětskou symfonii v Americe.",
    ],
    "greek": [
        "Η γρήγορη καφέ αλεπού πηδά πάνω από τον τεμπέλη σκύλο.",
        "ΣΟΦΙΑ και σοφία: το τελικό ς αλλάζει.",
        "Καλημέρα, τι κάνεις σήμερα;",
        "Ἐν ἀρχῇ ἦν ὁ λόγος.",
    ],
    "cyrillic": [
        "Съешь же ещё этих мягких французских булок, да выпей чаю.",
        "Москва — столица России; ЁЖИК и ёжик.",
        "Українська мова має літери ї, є, ґ.",
        "Добар дан, како сте? Ђорђе и Љиљана.",
    ],
    "arabic": [
        "مرحبا بالعالم، كيف حالك اليوم؟",
        "اللُّغَةُ العَرَبِيَّةُ جَمِيلَةٌ جِدًّا.",
        "الرقم ١٢٣٤٥ مكتوب بالأرقام العربية.",
        "سلامٌ عليكم ورحمة الله",
    ],
    "hebrew": [
        "שלום עולם, מה שלומך היום?",
        "בְּרֵאשִׁית בָּרָא אֱלֹהִים",
        "עברית נכתבת מימין לשמאל.",
    ],
    "devanagari": [
        "नमस्ते दुनिया, आप कैसे हैं?",
        "हिन्दी भारत की राजभाषा है।",
        "संस्कृतम् एका प्राचीना भाषा अस्ति।",
        "क्षत्रिय, ज्ञान और श्री।",
    ],
    "thai": [
        "สวัสดีชาวโลก วันนี้อากาศดีมาก",
        "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ",
        "กรุงเทพมหานคร อมรรัตนโกสินทร์",
    ],
    "chinese": [
        "你好，世界！今天天气很好。",
        "機器學習是人工智慧的一個分支。",
        "我爱北京天安门，天安门上太阳升。",
        "繁體中文與简体中文混合在一起。",
        "𠀀𠀁𠀂是扩展B区的汉字。",
    ],
    "japanese": [
        "こんにちは、世界。今日はいい天気ですね。",
        "カタカナとひらがなと漢字を混ぜて書きます。",
        "東京都渋谷区でラーメンを食べました。",
        "ｶﾞｷﾞｸﾞ ﾊﾟﾋﾟﾌﾟ は半角カナです。",
        "ゔぁいおりん、ヴァイオリン、ゝゞヽヾ。",
    ],
    "korean": [
        "안녕하세요, 세계! 오늘 날씨가 좋네요.",
        "한국어는 한글로 씁니다.",
        "대한민국의 수도는 서울입니다.",
    ],
}

EMOJI = [
    "😀", "😂", "🥰", "🫠", "🫨", "👍", "👍🏽", "👋🏿", "🙏🏻", "👨‍👩‍👧‍👦", "👩‍💻", "🧑🏽‍🚀", "🏳️‍🌈",
    "🇫🇷", "🇯🇵", "🇺🇸🇬🇧", "1️⃣", "#️⃣", "❤️", "☺️", "✨", "🔥🔥🔥", "🐈‍⬛", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🤷‍♀️",
]

SPECIAL_LITERALS = [
    "<bos>", "<eos>", "<pad>", "<unk>", "<mask>", "[CLS]", "[SEP]", "[MASK]", "[UNK]", "[PAD]",
    "<|endoftext|>", "<|startoftext|>", "<start_of_turn>", "<end_of_turn>", "<unused0>", "<unused42>",
    "<s>", "</s>", "<start_of_image>", "<image_soft_token>", "[multimodal]", "<table>", "</td>",
]

NUMBERS = [
    "0", "7", "42", "3.14159", "-273.15", "1,234,567.89", "1e-9", "0x1F4A", "2024-09-17", "12:30:45",
    "+1 (555) 010-9999", "١٢٣٤", "０１２３４", "²³¹", "½ ¾ ⅞", "Ⅷ ⅻ", "𝟙𝟚𝟛", "100%", "$19.99", "€5,00",
    "99999999999999999999", "3rd", "1st place", "v2.0.1-beta",
]

CODE = [
    "def foo(x):\n    return x ** 2",
    "for (int i = 0; i < n; i++) { sum += a[i]; }",
    "const f = async () => await fetch('/api/v1/items?id=42');",
    "SELECT name, COUNT(*) FROM users WHERE age > 30 GROUP BY name;",
    "{\"key\": [1, 2, 3], \"nested\": {\"a\": null}}",
    "^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+)@example\\.com$",
    "C:\\Program Files\\App\\bin\\app.exe --flag=1",
    "git commit -m \"fix: handle\\tedge cases\"",
    "<div class=\"main\"><p>Hello &amp; welcome</p></div>",
    "x => x.Where(y => y != null).Select(y => y!.Name)",
    "fn main() { println!(\"{}\", 1 << 3); }",
]

URLS = [
    "https://example.com/path/to/page?query=1&lang=en#section",
    "http://localhost:8080/api",
    "mailto:someone@example.org",
    "user.name+tag@sub.domain.co.uk",
    "ftp://files.example.net/pub/file-1.2.3.tar.gz",
    "www.ExAmPlE.com/ÜnïcödË",
]

WORDS = [
    "hello", "world", "embedding", "tokenizer", "vector", "model", "don't", "I'll", "we're", "it's", "they've",
    "you'd", "I'm", "DON'T", "O'Neil", "rock'n'roll", "state-of-the-art", "e-mail", "co-operate", "U.S.A.",
    "Mr.", "etc.", "naïve", "fiancée", "über", "Ǆemal", "ǅungla", "ﬁnance", "ﬀ", "Ｈｅｌｌｏ", "𝐇𝐞𝐥𝐥𝐨", "𝔊𝔬𝔱𝔥𝔦𝔠",
    "unbelievable", "antidisestablishmentarianism", "Pneumonoultramicroscopicsilicovolcanoconiosis",
]

SEPARATORS = [" ", " ", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\u00a0", "\u2003", "\u3000", ", ", ". ", " - ", "\u200b", ""]

PUNCT = ["!", "?", "...", "…", "!!!", "?!", "—", "–", "«", "»", "“", "”", "‘", "’", "\"", "'", "(", ")", "[", "]", ":", ";", "¿", "¡", "§", "©", "®", "™", "°", "•", "※"]


def edge_cases():
    cases = [
        "", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u200b", "\ufeff", "a", "A", ".", "'", "''",
        " leading space", "trailing space ", "  both  ", "multiple     spaces   inside", "tabs\tand\ttabs",
        "line one\nline two\n\nline four", "\n\nleading newlines", "trailing newlines\n\n\n",
        "mixed \t \n \r whitespace", "nbsp\u00a0between\u00a0words", "em\u2003space\u2002en\u2009thin\u200ahair",
        "zero\u200bwidth\u200cnon\u200djoiner", "line\u2028separator\u2029paragraph", "ideographic\u3000space",
        "word\u00adhyphen", "bidi \u202eoverride\u202c marks \u200e\u200f", "tab\u000bvertical\u000cformfeed",
        "nul\u0000char", "bell\u0007 escape\u001b del\u007f nel\u0085", "control\u0001\u0002\u001f",
        "replacement \ufffd char", "noncharacter \ufdd0\uffff", "private use \ue000\uf8ff",
        "e\u0301", "cafe\u0301", "caf\u00e9", "e\u0301\u0323a", "a\u0308\u0304", "Z\u0351\u0356\u033e\u0353a\u0300\u0301\u0302l\u0303g\u0304o\u0305",
        "\u1100\u1161\u11a8", "\u1112\u1161\u11ab\u1100\u1173\u11af", "한\u1100\u1161", "n\u0303o", "\u0041\u030a\u212b\u00c5",
        "\u0915\u094d\u0937", "\u0e01\u0e34\u0e4a", "\u05e9\u05c1\u05b8", "\u0627\u0651\u064e",
        "İ", "i̇", "ı", "ẞ ß", "ǅ ǈ ǋ", "ﬀ ﬁ ﬂ ﬃ ﬄ", "ſt", "Ω Ω", "Å Å", "ℌ ℍ ℑ", "㍿ ㌀ ㎏",
        "①②③", "⑴⑵", "ｶﾞ", "ﾊﾟ", "ｱｲｳ", "Ａ１！", "㈱", "™", "…", "‥",
        "😀", "👨‍👩‍👧‍👦", "🇫🇷🇩🇪🇯🇵", "👍🏽👍🏿", "🏳️‍🌈", "1️⃣2️⃣", "🏴󠁧󠁢󠁥󠁮󠁧󠁿", "a😀b", "😀😀😀😀😀",
        "𝐇𝐞𝐥𝐥𝐨 𝐖𝐨𝐫𝐥𝐝", "𝟘𝟙𝟚", "𠀀", "𐐀𐐨 Deseret", "𓀀 hieroglyph", "🀄 mahjong",
        "<bos>", "<eos>", "<bos><eos>", "<eos><eos><eos>", "text<eos>text", "<bos> spaced <eos>", "<BOS>", "<bos",
        "bos>", "< bos >", "[CLS]", "[SEP]", "[CLS] sentence [SEP]", "[cls] lower", "[CLS][SEP][MASK]",
        "<|endoftext|>", "<|startoftext|>", "a<|endoftext|>b", "<|ENDOFTEXT|>", "<|endoftext|", "<pad><pad>",
        "<start_of_turn>user\nHello<end_of_turn>\n<start_of_turn>model\n", "<unk>", "<mask>", "<s> </s>",
        "<unused0><unused1>", "<table><tr><td>cell</td></tr></table>", "▁", "▁▁", "▁▁▁ meta", "<0x41>", "<0xZZ>",
        "[multimodal]", "<image_soft_token>", "<start_of_image>",
        "don't", "DON'T", "I'll we'll they'll", "it's it'S", "'s 't 're", "rock 'n' roll", "''quoted''",
        "0", "0000", "12345678901234567890", "3.14", "1,000", "١٢٣", "０１２", "²", "Ⅻ", "½",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "!!!!!!!!!!!!!!!!!!!!!!!!", "................................", "------------------------",
        "https://example.com", "user@example.com", "#hashtag @mention", "$100 €200 ¥300 £400 ₹500",
        "x" * 101, "y" * 300, "ab" * 200, "z\u0301" * 60, "🙂" * 80, "中" * 150, "\n" * 40, " " * 70, "\t" * 35,
        "ALL CAPS SENTENCE WITH WORDS", "MiXeD cAsE wOrDs", "CamelCaseIdentifierName", "snake_case_identifier_name",
    ]
    # Lines of a few thousand characters mixing everything.
    rng = random.Random(SEED + 1)
    for n in (1500, 3000, 6000):
        parts = []
        while sum(len(p) for p in parts) < n:
            parts.append(rng.choice(rng.choice(list(SCRIPTS.values()))))
            parts.append(rng.choice(SEPARATORS + [" "] * 10))
        cases.append("".join(parts))
    return cases


def generated(rng):
    pools = [v for v in SCRIPTS.values()]
    for _ in range(GENERATED):
        kind = rng.random()
        parts = []
        count = rng.randint(1, 6)
        for _ in range(count):
            r = rng.random()
            if r < 0.45:
                phrase = rng.choice(rng.choice(pools))
                if rng.random() < 0.3:
                    words = phrase.split(" ")
                    a = rng.randint(0, len(words) - 1)
                    phrase = " ".join(words[a:a + rng.randint(1, 4)])
                parts.append(phrase)
            elif r < 0.55:
                parts.append(rng.choice(WORDS))
            elif r < 0.63:
                parts.append(rng.choice(EMOJI))
            elif r < 0.70:
                parts.append(rng.choice(NUMBERS))
            elif r < 0.76:
                parts.append(rng.choice(SPECIAL_LITERALS))
            elif r < 0.82:
                parts.append(rng.choice(CODE))
            elif r < 0.87:
                parts.append(rng.choice(URLS))
            else:
                parts.append(rng.choice(PUNCT))
        text = ""
        for i, p in enumerate(parts):
            text += p
            if i + 1 < len(parts):
                text += rng.choice(SEPARATORS)
        if kind < 0.05:
            text = " " * rng.randint(1, 3) + text
        elif kind < 0.10:
            text = text + rng.choice([" ", "\n", "\t", "  "])
        elif kind < 0.14:
            text = text.upper()
        elif kind < 0.18:
            text = text.lower()
        yield text


def main():
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "testdata", "tokenization", "corpus.jsonl")
    rng = random.Random(SEED)
    lines = edge_cases() + list(generated(rng))
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"corpus: {len(lines)} strings -> {os.path.relpath(out, root)}")


if __name__ == "__main__":
    main()
