// Encodes hostile texts with Hugging Face's tokenizers, as AutoTokenizer does by default (special tokens added, no
// padding, no truncation), and writes {tokenizer: [{name, text, ids}]}. Lone surrogates are left out: a JavaScript
// string holding one cannot cross into Rust unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { Tokenizer } from 'tokenizers';

const [root, outFile] = process.argv.slice(2);
const tokenizers = {
  'clip-vit-base-patch32': path.join(root, 'testdata', 'tokenizers', 'clip-vit-base-patch32'),
  'all-MiniLM-L6-v2': path.join(root, 'testdata', 'tokenizers', 'all-MiniLM-L6-v2'),
  gemma3: path.join(root, 'artifacts', 'tokenizers', 'gemma3'),
};

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i)).join('');
const texts = [
  ['empty', ''],
  ['one space', ' '],
  ['ASCII whitespace', ' \t\n\r\v\f  \n\n'],
  ['Unicode whitespace', '\u00A0\u1680\u2000\u2001\u2002\u2003\u2009\u200A\u2028\u2029\u202F\u205F\u3000'],
  ['every C0 control', range(0, 31)],
  ['NULs', '\0\0\0 nul \0 inside \0'],
  ['DEL and C1 controls', range(0x7F, 0x9F)],
  ['BOM, zero-width and direction marks', '\uFEFF\u200B\u200C\u200D\u2060\u202E\u202D\u2066\u2069text\u200E\u200F'],
  ['noncharacters and private use', '\uFFFE\uFFFF\uFDD0\uE000\uF8FF\u{F0000}\u{10FFFF}'],
  ['U+FFFE between letters', 'a\uFFFEb'],
  ['U+FFFE between combining marks', 'e\u0301\uFFFE\u0301x caf\u00E9\uFFFE\u0327'],
  ['U+FFFE alone', '\uFFFE'],
  ['replacement characters', '\uFFFD\uFFFD\uFFFD'],
  ['1,000 combining marks on one letter', 'a' + '\u0301'.repeat(1000)],
  ['combining marks with no base', '\u0301\u0302\u0303 \u0327x'],
  ['emoji ZWJ sequences and flags', '👩‍👩‍👧‍👦 🏳️‍🌈 🇯🇵🇫🇷 👍🏽 ❤️‍🔥'],
  ['mixed scripts', 'English Ελληνικά Русский עברית العربية हिन्दी 中文 日本語 한국어 ไทย'],
  ['Hangul jamo and fullwidth', 'ᄀᄁᄂ ＡＢＣ１２３ ｶﾀｶﾅ'],
  ['NFC/NFD forms', 'e\u0301 é \u1E9B\u0323 ﬁ ℌ ⅷ'],
  ['a 5,000-digit number', '9'.repeat(5000)],
  ['5,000 characters without a space', 'x'.repeat(5000)],
  ['JSON and markup', '{"query": "x"} <script>alert(1)</script> ${HOME} %s %n {{0}}'],
  ['repeated newlines', '\n'.repeat(500)],
  ['tabs and carriage returns', '\t'.repeat(200) + '\r'.repeat(200)],
  ['unassigned code points', '\u0378\u0379\u{E0001}\u{2FFFF}'],
  ['Arabic presentation forms', '\uFDFA\uFDFB\uFEFC'],
  ['ligature and compatibility', '\uFB01\u2126\u212B\u2460\u33A1\u00BD'],
];

const result = {};
for (const [name, dir] of Object.entries(tokenizers)) {
  const tokenizer = Tokenizer.fromFile(path.join(dir, 'tokenizer.json'));
  tokenizer.disablePadding();
  tokenizer.disableTruncation();
  const added = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')).added_tokens.map(t => t.content);
  const own = [
    ...texts,
    ['every added token glued together', added.join('')],
    ['added tokens between words', added.slice(0, 50).map(t => `x${t}y`).join(' ')],
  ];
  const rows = [];
  for (const [textName, text] of own) {
    const encoding = await tokenizer.encode(text, null, true);
    rows.push({ name: textName, text, ids: encoding.getIds() });
  }
  result[name] = rows;
}
fs.writeFileSync(outFile, JSON.stringify(result));
console.log(`  reliability references: ${Object.keys(result).length} tokenizers x ${texts.length + 2} hostile texts`);
