/**
 * Writes a tiny sentence-transformers-style model for tests — no download, no Python: a BERT-like
 * WordPiece tokenizer.json over a dozen words and an ONNX graph (embedding lookup × attention mask →
 * last_hidden_state) encoded by hand in protobuf. transformers.js then mean-pools and normalizes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The fixture's vocabulary; token i's embedding is row i of `fixtureEmbedding`. */
export const FIXTURE_VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'graph', 'neural', 'network', '##s', 'diffusion', 'image', 'model', 'language', 'speech', 'the', 'of'];
export const FIXTURE_HIDDEN = 6;

/** Row `token` of the embedding table: deterministic, distinct, small numbers. */
export function fixtureEmbedding(token: number): number[] {
  return Array.from({ length: FIXTURE_HIDDEN }, (_, k) => Math.sin((token + 1) * (k + 1)) + (token % FIXTURE_HIDDEN === k ? 2 : 0));
}

/** Writes config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx into `dir`; returns the file list. */
export function writeFixtureModel(dir: string): string[] {
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  const files: Record<string, string | Uint8Array> = {
    'config.json': JSON.stringify({ architectures: ['BertModel'], model_type: 'bert', hidden_size: FIXTURE_HIDDEN, vocab_size: FIXTURE_VOCAB.length, max_position_embeddings: 64 }),
    'tokenizer_config.json': JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 64, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]' }),
    'tokenizer.json': JSON.stringify(tokenizerJson()),
    'onnx/model.onnx': modelProto(),
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return Object.keys(files);
}

function tokenizerJson() {
  const special = (id: string) => ({ id, ids: [FIXTURE_VOCAB.indexOf(id)], tokens: [id] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((content) => ({
      id: FIXTURE_VOCAB.indexOf(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': special('[CLS]'), '[SEP]': special('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(FIXTURE_VOCAB.map((t, i) => [t, i])) },
  };
}

// --- A minimal protobuf writer, enough for onnx.proto's ModelProto. ---
type Field = Uint8Array;
const enc = new TextEncoder();
function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v) byte |= 0x80;
    out.push(byte);
  } while (v);
  return out;
}
const int = (field: number, n: number | bigint): Field => Uint8Array.from([...varint(field << 3), ...varint(n)]);
function bytes(field: number, content: Uint8Array | string): Field {
  const b = typeof content === 'string' ? enc.encode(content) : content;
  return Uint8Array.from([...varint((field << 3) | 2), ...varint(b.length), ...b]);
}
const message = (field: number, ...parts: Field[]): Field => bytes(field, concat(parts));
function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, (o += p.length) - p.length);
  return out;
}

const FLOAT = 1;
const INT64 = 7;
/** ValueInfoProto: a named tensor of `elemType` with symbolic or fixed dimensions. */
function valueInfo(field: number, name: string, elemType: number, dims: (string | number)[]): Field {
  const shape = dims.map((d) => message(1, typeof d === 'string' ? bytes(2, d) : int(1, d)));
  return message(field, bytes(1, name), message(2, message(1, int(1, elemType), message(2, ...shape))));
}
function node(opType: string, inputs: string[], outputs: string[], ...attributes: Field[]): Field {
  return message(1, ...inputs.map((i) => bytes(1, i)), ...outputs.map((o) => bytes(2, o)), bytes(3, `${opType}_${outputs[0]}`), bytes(4, opType), ...attributes);
}
function floatTensor(field: number, name: string, dims: number[], values: number[]): Field {
  return message(field, ...dims.map((d) => int(1, d)), int(2, FLOAT), bytes(8, name), bytes(9, new Uint8Array(Float32Array.from(values).buffer)));
}
function int64Tensor(field: number, name: string, dims: number[], values: number[]): Field {
  return message(field, ...dims.map((d) => int(1, d)), int(2, INT64), bytes(8, name), bytes(9, new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer)));
}

function modelProto(): Uint8Array {
  const weights = FIXTURE_VOCAB.flatMap((_, i) => fixtureEmbedding(i));
  const graph = message(
    7,
    node('Gather', ['word_embeddings', 'input_ids'], ['embedded'], message(5, bytes(1, 'axis'), int(3, 0), int(20, 2))),
    node('Cast', ['attention_mask'], ['mask_float'], message(5, bytes(1, 'to'), int(3, FLOAT), int(20, 2))),
    node('Unsqueeze', ['mask_float', 'last_axis'], ['mask_3d']),
    node('Mul', ['embedded', 'mask_3d'], ['last_hidden_state']),
    bytes(2, 'tiny_bert'),
    floatTensor(5, 'word_embeddings', [FIXTURE_VOCAB.length, FIXTURE_HIDDEN], weights),
    int64Tensor(5, 'last_axis', [1], [-1]),
    valueInfo(11, 'input_ids', INT64, ['batch_size', 'sequence_length']),
    valueInfo(11, 'attention_mask', INT64, ['batch_size', 'sequence_length']),
    valueInfo(12, 'last_hidden_state', FLOAT, ['batch_size', 'sequence_length', FIXTURE_HIDDEN]),
  );
  // ModelProto: ir_version 8, producer, graph, opset_import { domain "", version 17 }.
  return concat([int(1, 8), bytes(2, 'paperboy-test-fixture'), graph, message(8, bytes(1, ''), int(2, 17))]);
}
