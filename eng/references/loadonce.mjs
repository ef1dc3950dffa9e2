import { Tokenizer } from 'tokenizers';
const t0 = Date.now(); const t = Tokenizer.fromFile(process.argv[2]); console.log(Date.now() - t0, 'ms', t.getVocabSize(true));
