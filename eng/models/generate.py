#!/usr/bin/python3
"""Synthetic ONNX models in real Hugging Face hub layouts, for tests (tiny) and benchmarks (full).

No weights can be downloaded, so every model here has a real architecture and a real folder layout
(config files, tokenizer files, onnx/ graphs) with seeded random weights. See eng/models/README.md.

    /usr/bin/python3 eng/models/generate.py tiny --out artifacts/models/tiny
    /usr/bin/python3 eng/models/generate.py full --out artifacts/models/full [--only NAME[,NAME]]

Needs only Debian's python3-onnx (1.12) and python3-numpy (1.24). Output is byte-identical for the same
command; a model is skipped when its stamp (a hash of this file and of the input files) is current.
"""

import argparse
import hashlib
import json
import math
import os
import shutil
import struct
import sys
import time

import numpy as np
import onnx
from onnx import TensorProto, helper

OPSET = 17
IR_VERSION = 8
PRODUCER = "embeddings-synthetic"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GEMMA_TOKENIZER_DIR = os.path.join(ROOT, "artifacts", "tokenizers", "gemma3")
CLIP_TOKENIZER_DIR = os.path.join(ROOT, "testdata", "tokenizers", "clip-vit-base-patch32")
MINILM_TOKENIZER_DIR = os.path.join(ROOT, "testdata", "tokenizers", "all-MiniLM-L6-v2")

# The most negative float32: masked attention scores (as transformers' torch.finfo(dtype).min). A row with
# every key masked then softmaxes to a uniform row instead of NaN.
MASK_VALUE = float(np.finfo(np.float32).min)

NP_TO_ONNX = {
    np.dtype(np.float32): TensorProto.FLOAT,
    np.dtype(np.float16): TensorProto.FLOAT16,
    np.dtype(np.int64): TensorProto.INT64,
    np.dtype(np.int32): TensorProto.INT32,
    np.dtype(np.int8): TensorProto.INT8,
    np.dtype(np.bool_): TensorProto.BOOL,
}


# ---------------------------------------------------------------------------------------------------------
# Protobuf writing. onnx.save would hold the weights three times (numpy, TensorProto, serialized bytes);
# this writes the same canonical bytes while holding them once: every message is the concatenation of its
# fields in field-number order, so the graph is written as [nodes, name] + initializers + [inputs, outputs].
# ---------------------------------------------------------------------------------------------------------

def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _field(number, payload_len):
    """Tag and length of a length-delimited field."""
    return _varint((number << 3) | 2) + _varint(payload_len)


def write_model(path, graph):
    """Writes graph (a Graph) as an ONNX model file; returns the file size."""
    model_head = onnx.ModelProto(ir_version=IR_VERSION, producer_name=PRODUCER).SerializeToString()
    model_tail = onnx.ModelProto(opset_import=[helper.make_opsetid("", OPSET)]).SerializeToString()
    graph_head = onnx.GraphProto(node=graph.nodes, name=graph.name).SerializeToString()
    graph_tail = onnx.GraphProto(input=graph.inputs, output=graph.outputs).SerializeToString()
    tensors = []
    for name, arr in graph.initializers:
        arr = np.asarray(arr, dtype=arr.dtype.newbyteorder("<"), order="C")  # keeps 0-d scalars 0-d
        header = onnx.TensorProto(dims=arr.shape, data_type=NP_TO_ONNX[arr.dtype], name=name).SerializeToString()
        raw_prefix = _field(9, arr.nbytes)  # TensorProto.raw_data
        body_len = len(header) + len(raw_prefix) + arr.nbytes
        tensors.append((_field(5, body_len) + header + raw_prefix, arr))  # GraphProto.initializer
    graph_len = len(graph_head) + len(graph_tail) + sum(len(p) + a.nbytes for p, a in tensors)
    with open(path, "wb") as f:
        f.write(model_head)
        f.write(_field(7, graph_len))  # ModelProto.graph
        f.write(graph_head)
        for prefix, arr in tensors:
            f.write(prefix)
            f.write(memoryview(arr.reshape(-1)).cast("B"))
        f.write(graph_tail)
        f.write(model_tail)
        return f.tell()


# ---------------------------------------------------------------------------------------------------------
# Weights: every tensor has its own generator seeded from (model family, tensor name), so a tower gets the
# same weights whether it is written alone or inside the combined model, whatever the build order.
# Uniform noise with the requested standard deviation (6x faster to draw than normal noise at full size).
# ---------------------------------------------------------------------------------------------------------

class Weights:
    def __init__(self, family):
        self.family = family
        self._cache = {}

    def _rng(self, name):
        digest = hashlib.sha256(f"{self.family}/{name}".encode()).digest()
        return np.random.default_rng(int.from_bytes(digest[:8], "little"))

    def get(self, name, shape, std, mean=0.0):
        arr = self._cache.get(name)
        if arr is None:
            arr = self._rng(name).random(shape, dtype=np.float32)
            arr -= np.float32(0.5)
            arr *= np.float32(std * math.sqrt(12.0))
            if mean:
                arr += np.float32(mean)
            self._cache[name] = arr
        assert arr.shape == tuple(shape), (name, arr.shape, shape)
        return arr


# ---------------------------------------------------------------------------------------------------------
# Graph builder
# ---------------------------------------------------------------------------------------------------------

class Graph:
    """Collects nodes and initializers. variant: 'fp32', 'fp16' (weights stored as float16 + Cast) or
    'int8' (large weights stored as int8 + DequantizeLinear, weight-only)."""

    def __init__(self, variant="fp32"):
        self.name = "main_graph"
        self.variant = variant
        self.nodes = []
        self.initializers = []
        self.inputs = []
        self.outputs = []
        self.param_count = 0
        self._names = set()
        self._consts = {}
        self._counter = 0

    # values and initializers
    def _fresh(self, hint):
        self._counter += 1
        return f"/{hint}_{self._counter}"

    def _add_init(self, name, arr):
        assert name not in self._names, name
        self._names.add(name)
        self.initializers.append((name, arr))
        return name

    def const(self, value, dtype):
        """A small constant (not a weight), shared by value."""
        arr = np.asarray(value, dtype=dtype)
        key = (arr.dtype.str, arr.shape, arr.tobytes())
        name = self._consts.get(key)
        if name is None:
            name = self._add_init(f"const_{len(self._consts)}", arr)
            self._consts[key] = name
        return name

    def i64(self, value):
        return self.const(value, np.int64)

    def f32(self, value):
        return self.const(value, np.float32)

    def _quantizable(self, arr):
        return arr.ndim >= 2 and arr.size >= 1024

    def param(self, name, arr):
        """A weight; returns the name of a float32 value holding it."""
        self.param_count += arr.size
        if self.variant == "fp16":
            stored = self._add_init(name + "_fp16", arr.astype(np.float16))
            return self.op("Cast", [stored], out=name, to=TensorProto.FLOAT)
        if self.variant == "int8" and self._quantizable(arr):
            return self.op("DequantizeLinear", self._quantized(name, arr), out=name)
        return self._add_init(name, arr)

    def _quantized(self, name, arr):
        # Symmetric per-tensor int8, zero point 0 (what weight-only dynamic quantization stores).
        scale = np.float32(np.abs(arr).max() / 127.0)
        q = np.clip(np.rint(arr / scale), -127, 127).astype(np.int8)
        return [self._add_init(name + "_quantized", q),
                self._add_init(name + "_scale", np.array(scale, dtype=np.float32)),
                self._add_init(name + "_zero_point", np.array(0, dtype=np.int8))]

    def embedding(self, name, table, ids):
        """Gather rows of a weight table; reduced-precision tables are converted after the lookup."""
        self.param_count += table.size
        if self.variant == "fp16":
            stored = self._add_init(name + "_fp16", table.astype(np.float16))
            return self.op("Cast", [self.op("Gather", [stored, ids])], to=TensorProto.FLOAT)
        if self.variant == "int8" and self._quantizable(table):
            q, scale, zero = self._quantized(name, table)
            return self.op("DequantizeLinear", [self.op("Gather", [q, ids]), scale, zero])
        return self.op("Gather", [self._add_init(name, table), ids])

    def op(self, op_type, inputs, out=None, outputs=1, **attrs):
        if out is not None:
            names = [out]
        else:
            names = [self._fresh(op_type) for _ in range(outputs)]
        self.nodes.append(helper.make_node(op_type, inputs, names, name=f"{op_type}_{len(self.nodes)}", **attrs))
        return names[0] if outputs == 1 else names

    def input(self, name, elem_type, shape):
        self.inputs.append(helper.make_tensor_value_info(name, elem_type, shape))
        return name

    def output(self, value, name, elem_type, shape):
        if value != name:
            self.op("Identity", [value], out=name)
        self.outputs.append(helper.make_tensor_value_info(name, elem_type, shape))


# ---------------------------------------------------------------------------------------------------------
# Building blocks. Linear weights are stored [in, out] (MatMul-ready, as exporters store them).
# ---------------------------------------------------------------------------------------------------------

def linear(g, w, x, name, din, dout, bias=True, gain=1.0):
    y = g.op("MatMul", [x, g.param(name + ".weight", w.get(name + ".weight", (din, dout), gain / math.sqrt(din)))])
    if bias:
        y = g.op("Add", [y, g.param(name + ".bias", w.get(name + ".bias", (dout,), 0.02))])
    return y


def layer_norm(g, w, x, name, dim, eps):
    scale = g.param(name + ".weight", w.get(name + ".weight", (dim,), 0.1, mean=1.0))
    bias = g.param(name + ".bias", w.get(name + ".bias", (dim,), 0.05))
    return g.op("LayerNormalization", [x, scale, bias], axis=-1, epsilon=eps)


def rms_norm(g, w, x, name, dim, eps):
    """Gemma's RMSNorm: x / sqrt(mean(x^2) + eps) * (1 + weight); the stored initializer is 1 + weight."""
    weight = w.get(name + ".weight", (dim,), 0.1)
    ms = g.op("ReduceMean", [g.op("Mul", [x, x])], axes=[-1], keepdims=1)
    y = g.op("Div", [x, g.op("Sqrt", [g.op("Add", [ms, g.f32(eps)])])])
    return g.op("Mul", [y, g.param(name + ".weight", (weight + np.float32(1.0)).astype(np.float32))])


def gelu_tanh(g, x):
    # 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))): opset 17 has no Gelu; ONNX Runtime fuses this pattern.
    x3 = g.op("Mul", [g.op("Mul", [x, x]), x])
    inner = g.op("Mul", [g.op("Add", [x, g.op("Mul", [x3, g.f32(0.044715)])]), g.f32(math.sqrt(2.0 / math.pi))])
    return g.op("Mul", [g.op("Mul", [x, g.f32(0.5)]), g.op("Add", [g.op("Tanh", [inner]), g.f32(1.0)])])


def gelu_erf(g, x):
    erf = g.op("Erf", [g.op("Div", [x, g.f32(math.sqrt(2.0))])])
    return g.op("Mul", [g.op("Mul", [x, g.f32(0.5)]), g.op("Add", [erf, g.f32(1.0)])])


def quick_gelu(g, x):
    return g.op("Mul", [x, g.op("Sigmoid", [g.op("Mul", [x, g.f32(1.702)])])])


ACTIVATIONS = {"gelu_pytorch_tanh": gelu_tanh, "gelu": gelu_erf, "quick_gelu": quick_gelu}


def split_heads(g, x, heads, head_dim, perm):
    return g.op("Transpose", [g.op("Reshape", [x, g.i64([0, 0, heads, head_dim])])], perm=perm)


def merge_heads(g, x, hidden):
    return g.op("Reshape", [g.op("Transpose", [x], perm=[0, 2, 1, 3]), g.i64([0, 0, hidden])])


def attention_core(g, q, k_t, v, scale, mask):
    """softmax(q k^T * scale + mask) v, with q [.., Sq, d], k_t [.., d, Sk], v [.., Sk, d]."""
    scores = g.op("Mul", [g.op("MatMul", [q, k_t]), g.f32(scale)])
    if mask is not None:
        scores = g.op("Add", [scores, mask])
    return g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v])


def mha(g, w, x, name, hidden, heads, mask=None, query=None, q_gain=1.0):
    """Multi-head attention with q/k/v/out projections and biases (ViT/BERT/CLIP style). query: another
    sequence to attend from (the MAP head's probe); keys and values come from x."""
    hd = hidden // heads
    q_in = x if query is None else query
    q = split_heads(g, linear(g, w, q_in, name + ".q_proj", hidden, hidden, gain=q_gain), heads, hd, [0, 2, 1, 3])
    k = split_heads(g, linear(g, w, x, name + ".k_proj", hidden, hidden, gain=q_gain), heads, hd, [0, 2, 3, 1])
    v = split_heads(g, linear(g, w, x, name + ".v_proj", hidden, hidden), heads, hd, [0, 2, 1, 3])
    o = attention_core(g, q, k, v, 1.0 / math.sqrt(hd), mask)
    return linear(g, w, merge_heads(g, o, hidden), name + ".out_proj", hidden, hidden)


def mlp(g, w, x, name, hidden, inner, act):
    h = ACTIVATIONS[act](g, linear(g, w, x, name + ".fc1", hidden, inner))
    return linear(g, w, h, name + ".fc2", inner, hidden)


def pre_ln_layer(g, w, x, name, c, mask=None):
    """ViT / SigLIP / CLIP encoder layer: x + attn(ln1(x)), then + mlp(ln2(x))."""
    h = layer_norm(g, w, x, name + ".layer_norm1", c["hidden"], c["eps"])
    x = g.op("Add", [x, mha(g, w, h, name + ".self_attn", c["hidden"], c["heads"], mask, q_gain=c.get("qk_gain", 1.0))])
    h = layer_norm(g, w, x, name + ".layer_norm2", c["hidden"], c["eps"])
    return g.op("Add", [x, mlp(g, w, h, name + ".mlp", c["hidden"], c["mlp"], c["act"])])


def dim(g, x, axis):
    """Runtime size of one axis of x, as a 1-element int64 tensor."""
    return g.op("Slice", [g.op("Shape", [x]), g.i64([axis]), g.i64([axis + 1])])


def positions(g, w, name, table_rows, hidden, length, std):
    """The first `length` rows (a runtime [1] int64) of a learned position table."""
    table = g.param(name, w.get(name, (table_rows, hidden), std))
    return g.op("Slice", [table, g.i64([0]), length, g.i64([0])])


def padding_mask(g, attention_mask):
    """[B, S] int64 (1 = token) -> bool [B, 1, 1, S] (keys that may be attended)."""
    keep = g.op("Cast", [attention_mask], to=TensorProto.BOOL)
    return g.op("Unsqueeze", [keep, g.i64([1, 2])])


def additive(g, keep):
    return g.op("Where", [keep, g.f32(0.0), g.f32(MASK_VALUE)])


def l2_normalize(g, x, eps=None):
    norm = g.op("ReduceL2", [x], axes=[-1], keepdims=1)
    if eps is not None:
        norm = g.op("Max", [norm, g.f32(eps)])
    return g.op("Div", [x, norm])


# ---------------------------------------------------------------------------------------------------------
# SigLIP / SigLIP2 (fixed resolution)
# ---------------------------------------------------------------------------------------------------------

def siglip_vision(g, w, c, pixel_values):
    """-> (last_hidden_state [B, N, H], pooler_output [B, H])."""
    p, H = c["patch"], c["hidden"]
    n = (c["image"] // p) ** 2
    conv_w = g.param("vision_model.embeddings.patch_embedding.weight",
                     w.get("vision_model.embeddings.patch_embedding.weight", (H, 3, p, p), 1.0 / math.sqrt(3 * p * p)))
    conv_b = g.param("vision_model.embeddings.patch_embedding.bias",
                     w.get("vision_model.embeddings.patch_embedding.bias", (H,), 0.02))
    x = g.op("Conv", [pixel_values, conv_w, conv_b], kernel_shape=[p, p], strides=[p, p])
    x = g.op("Transpose", [g.op("Reshape", [x, g.i64([0, H, -1])])], perm=[0, 2, 1])
    pos = g.param("vision_model.embeddings.position_embedding.weight",
                  w.get("vision_model.embeddings.position_embedding.weight", (n, H), 0.2))
    x = g.op("Add", [x, pos])
    for i in range(c["layers"]):
        x = pre_ln_layer(g, w, x, f"vision_model.encoder.layers.{i}", c)
    last = layer_norm(g, w, x, "vision_model.post_layernorm", H, c["eps"])
    # Multihead attention pooling: a learned probe attends over the tokens, then LayerNorm + MLP residual.
    probe = g.param("vision_model.head.probe", w.get("vision_model.head.probe", (1, 1, H), 1.0))
    h = mha(g, w, last, "vision_model.head.attention", H, c["heads"], query=probe)
    m = mlp(g, w, layer_norm(g, w, h, "vision_model.head.layernorm", H, c["eps"]), "vision_model.head.mlp", H, c["mlp"], c["act"])
    pooled = g.op("Squeeze", [g.op("Add", [h, m]), g.i64([1])])
    return last, pooled


def siglip_text(g, w, c, input_ids):
    """-> (last_hidden_state [B, S, H], pooler_output [B, P]). No attention mask, as in the real export."""
    H = c["hidden"]
    tok = w.get("text_model.embeddings.token_embedding.weight", (c["vocab"], H), 0.5)
    x = g.embedding("text_model.embeddings.token_embedding.weight", tok, input_ids)
    x = g.op("Add", [x, positions(g, w, "text_model.embeddings.position_embedding.weight", c["max_pos"], H, dim(g, input_ids, 1), 0.2)])
    for i in range(c["layers"]):
        x = pre_ln_layer(g, w, x, f"text_model.encoder.layers.{i}", c)
    last = layer_norm(g, w, x, "text_model.final_layer_norm", H, c["eps"])
    # The LAST position's state, padding or not (why SigLIP text must always be padded to max_length).
    pooled = g.op("Gather", [last, g.i64(-1)], axis=1)
    return last, linear(g, w, pooled, "text_model.head", H, c["projection"])


def siglip_vision_graph(spec, w, variant="fp32"):
    c = spec["vision"]
    g = Graph(variant)
    pv = g.input("pixel_values", TensorProto.FLOAT, ["batch_size", 3, c["image"], c["image"]])
    last, pooled = siglip_vision(g, w, c, pv)
    n = (c["image"] // c["patch"]) ** 2
    g.output(last, "last_hidden_state", TensorProto.FLOAT, ["batch_size", n, c["hidden"]])
    g.output(pooled, "pooler_output", TensorProto.FLOAT, ["batch_size", c["hidden"]])
    return g


def siglip_text_graph(spec, w, variant="fp32"):
    c = spec["text"]
    g = Graph(variant)
    ids = g.input("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"])
    last, pooled = siglip_text(g, w, c, ids)
    g.output(last, "last_hidden_state", TensorProto.FLOAT, ["batch_size", "sequence_length", c["hidden"]])
    g.output(pooled, "pooler_output", TensorProto.FLOAT, ["batch_size", c["projection"]])
    return g


def siglip_combined_graph(spec, w):
    """SiglipModel: logits_per_text = text_embeds . image_embeds^T * exp(logit_scale) + logit_bias."""
    vc, tc = spec["vision"], spec["text"]
    g = Graph()
    ids = g.input("input_ids", TensorProto.INT64, ["text_batch_size", "sequence_length"])
    pv = g.input("pixel_values", TensorProto.FLOAT, ["image_batch_size", 3, vc["image"], vc["image"]])
    _, text_pooled = siglip_text(g, w, tc, ids)
    _, image_pooled = siglip_vision(g, w, vc, pv)
    text_embeds = l2_normalize(g, text_pooled)
    image_embeds = l2_normalize(g, image_pooled)
    scale = g.param("logit_scale", np.array([spec["logit_scale"]], dtype=np.float32))
    bias = g.param("logit_bias", np.array([spec["logit_bias"]], dtype=np.float32))
    cos = g.op("MatMul", [text_embeds, g.op("Transpose", [image_embeds], perm=[1, 0])])
    per_text = g.op("Add", [g.op("Mul", [cos, g.op("Exp", [scale])]), bias])
    g.output(g.op("Transpose", [per_text], perm=[1, 0]), "logits_per_image", TensorProto.FLOAT, ["image_batch_size", "text_batch_size"])
    g.output(per_text, "logits_per_text", TensorProto.FLOAT, ["text_batch_size", "image_batch_size"])
    g.output(text_embeds, "text_embeds", TensorProto.FLOAT, ["text_batch_size", tc["projection"]])
    g.output(image_embeds, "image_embeds", TensorProto.FLOAT, ["image_batch_size", vc["hidden"]])
    return g


# ---------------------------------------------------------------------------------------------------------
# Gemma 3 text (EmbeddingGemma)
# ---------------------------------------------------------------------------------------------------------

def layer_types(layers):
    # Gemma 3: five sliding-window (local) layers, then one global layer.
    return ["full_attention" if (i + 1) % 6 == 0 else "sliding_attention" for i in range(layers)]


def rope_tables(g, seq_len, head_dim, base):
    """cos, sin [S, head_dim] for positions 0..S-1 (rotate-half layout: frequencies repeated twice)."""
    inv_freq = (1.0 / (base ** (np.arange(0, head_dim, 2, dtype=np.int64).astype(np.float32) / head_dim))).astype(np.float32)
    pos = g.op("Cast", [g.op("Range", [g.i64(0), g.op("Squeeze", [seq_len, g.i64([0])]), g.i64(1)])], to=TensorProto.FLOAT)
    freqs = g.op("Mul", [g.op("Unsqueeze", [pos, g.i64([1])]), g.f32(inv_freq)])
    emb = g.op("Concat", [freqs, freqs], axis=-1)
    return g.op("Cos", [emb]), g.op("Sin", [emb])


def apply_rope(g, x, cos, sin, head_dim):
    half = head_dim // 2
    x1, x2 = g.op("Split", [x, g.i64([half, half])], outputs=2, axis=-1)
    rotated = g.op("Concat", [g.op("Neg", [x2]), x1], axis=-1)
    return g.op("Add", [g.op("Mul", [x, cos]), g.op("Mul", [rotated, sin])])


def gemma_attention(g, w, x, name, c, mask, rope):
    H, nq, nkv, hd = c["hidden"], c["heads"], c["kv_heads"], c["head_dim"]
    assert nkv == 1, "only one key/value head (EmbeddingGemma's) is modelled"
    q = g.op("MatMul", [x, g.param(name + ".q_proj.weight", w.get(name + ".q_proj.weight", (H, nq * hd), 1 / math.sqrt(H)))])
    k = g.op("MatMul", [x, g.param(name + ".k_proj.weight", w.get(name + ".k_proj.weight", (H, nkv * hd), 1 / math.sqrt(H)))])
    v = g.op("MatMul", [x, g.param(name + ".v_proj.weight", w.get(name + ".v_proj.weight", (H, nkv * hd), 1 / math.sqrt(H)))])
    q = split_heads(g, q, nq, hd, [0, 2, 1, 3])
    k = split_heads(g, k, nkv, hd, [0, 2, 1, 3])
    v = split_heads(g, v, nkv, hd, [0, 2, 1, 3])
    q = apply_rope(g, rms_norm(g, w, q, name + ".q_norm", hd, c["eps"]), *rope, hd)
    k = apply_rope(g, rms_norm(g, w, k, name + ".k_norm", hd, c["eps"]), *rope, hd)
    k_t = g.op("Transpose", [k], perm=[0, 1, 3, 2])
    # EmbeddingGemma has one kv head: it broadcasts over the query heads in the MatMuls (no repeat needed).
    o = attention_core(g, q, k_t, v, c["query_pre_attn_scalar"] ** -0.5, mask)
    o = g.op("Reshape", [g.op("Transpose", [o], perm=[0, 2, 1, 3]), g.i64([0, 0, nq * hd])])
    return g.op("MatMul", [o, g.param(name + ".o_proj.weight", w.get(name + ".o_proj.weight", (nq * hd, H), 1 / math.sqrt(nq * hd)))])


def gemma_mlp(g, w, x, name, c):
    H, inner = c["hidden"], c["mlp"]
    gate = g.op("MatMul", [x, g.param(name + ".gate_proj.weight", w.get(name + ".gate_proj.weight", (H, inner), 1 / math.sqrt(H)))])
    up = g.op("MatMul", [x, g.param(name + ".up_proj.weight", w.get(name + ".up_proj.weight", (H, inner), 1 / math.sqrt(H)))])
    h = g.op("Mul", [gelu_tanh(g, gate), up])
    return g.op("MatMul", [h, g.param(name + ".down_proj.weight", w.get(name + ".down_proj.weight", (inner, H), 1 / math.sqrt(inner)))])


def gemma_graph(spec, w, with_head):
    """Gemma3TextModel, bidirectional; with_head adds masked mean pooling, Dense, Dense, L2 normalize."""
    c = spec["text"]
    H = c["hidden"]
    g = Graph()
    ids = g.input("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"])
    am = g.input("attention_mask", TensorProto.INT64, ["batch_size", "sequence_length"])
    x = g.embedding("embed_tokens.weight", w.get("embed_tokens.weight", (c["vocab"], H), 1 / math.sqrt(H)), ids)
    x = g.op("Mul", [x, g.f32(np.float32(math.sqrt(H)))])
    mask = additive(g, padding_mask(g, am))
    seq_len = dim(g, ids, 1)
    ropes = {kind: rope_tables(g, seq_len, c["head_dim"], base) for kind, base in
             (("sliding_attention", c["rope_local_base_freq"]), ("full_attention", c["rope_theta"]))}
    for i, kind in enumerate(layer_types(c["layers"])):
        name = f"layers.{i}"
        h = rms_norm(g, w, x, name + ".input_layernorm", H, c["eps"])
        h = gemma_attention(g, w, h, name + ".self_attn", c, mask, ropes[kind])
        x = g.op("Add", [x, rms_norm(g, w, h, name + ".post_attention_layernorm", H, c["eps"])])
        h = rms_norm(g, w, x, name + ".pre_feedforward_layernorm", H, c["eps"])
        h = gemma_mlp(g, w, h, name + ".mlp", c)
        x = g.op("Add", [x, rms_norm(g, w, h, name + ".post_feedforward_layernorm", H, c["eps"])])
    last = rms_norm(g, w, x, "norm", H, c["eps"])
    g.output(last, "last_hidden_state", TensorProto.FLOAT, ["batch_size", "sequence_length", H])
    if with_head:
        # sentence-transformers Pooling(mean): sum(h * mask) / clamp(sum(mask), 1e-9).
        m = g.op("Unsqueeze", [g.op("Cast", [am], to=TensorProto.FLOAT), g.i64([2])])
        summed = g.op("ReduceSum", [g.op("Mul", [last, m]), g.i64([1])], keepdims=0)
        count = g.op("Max", [g.op("ReduceSum", [m, g.i64([1])], keepdims=0), g.f32(1e-9)])
        x = g.op("Div", [summed, count])
        for name, _, _ in dense_layers(spec):
            x = g.op("MatMul", [x, g.param(name, dense_weight(spec, w, name).T.copy())])
        g.output(l2_normalize(g, x, eps=1e-12), "sentence_embedding", TensorProto.FLOAT, ["batch_size", H])
    return g


def dense_layers(spec):
    H, D = spec["text"]["hidden"], spec["dense"]
    return [("2_Dense.linear.weight", H, D), ("3_Dense.linear.weight", D, H)]


def dense_weight(spec, w, name):
    """The [out, in] weight of a sentence-transformers Dense module (bias=False, Identity activation)."""
    din, dout = next((i, o) for n, i, o in dense_layers(spec) if n == name)
    return w.get(name, (dout, din), 1 / math.sqrt(din))


def write_safetensors(path, tensors):
    """safetensors: u64 little-endian header length, JSON header (padded to 8 bytes), raw little-endian data."""
    header, offset = {}, 0
    for name, arr in tensors:
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + arr.nbytes]}
        offset += arr.nbytes
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for _, arr in tensors:
            f.write(np.ascontiguousarray(arr, dtype="<f4").tobytes())


# ---------------------------------------------------------------------------------------------------------
# BERT (all-MiniLM-L6-v2)
# ---------------------------------------------------------------------------------------------------------

def bert_graph(spec, w):
    c = spec["text"]
    H = c["hidden"]
    g = Graph()
    ids = g.input("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"])
    am = g.input("attention_mask", TensorProto.INT64, ["batch_size", "sequence_length"])
    tt = g.input("token_type_ids", TensorProto.INT64, ["batch_size", "sequence_length"])
    x = g.embedding("embeddings.word_embeddings.weight", w.get("embeddings.word_embeddings.weight", (c["vocab"], H), 1.0), ids)
    x = g.op("Add", [x, positions(g, w, "embeddings.position_embeddings.weight", c["max_pos"], H, dim(g, ids, 1), 0.3)])
    x = g.op("Add", [x, g.embedding("embeddings.token_type_embeddings.weight",
                                    w.get("embeddings.token_type_embeddings.weight", (c["type_vocab"], H), 0.3), tt)])
    x = layer_norm(g, w, x, "embeddings.LayerNorm", H, c["eps"])
    mask = additive(g, padding_mask(g, am))
    for i in range(c["layers"]):
        name = f"encoder.layer.{i}"
        a = mha(g, w, x, name + ".attention.self", H, c["heads"], mask, q_gain=c.get("qk_gain", 1.0))
        x = layer_norm(g, w, g.op("Add", [x, a]), name + ".attention.output.LayerNorm", H, c["eps"])
        m = mlp(g, w, x, name + ".mlp", H, c["mlp"], "gelu")
        x = layer_norm(g, w, g.op("Add", [x, m]), name + ".output.LayerNorm", H, c["eps"])
    g.output(x, "last_hidden_state", TensorProto.FLOAT, ["batch_size", "sequence_length", H])
    return g


# ---------------------------------------------------------------------------------------------------------
# CLIP
# ---------------------------------------------------------------------------------------------------------

def clip_vision(g, w, c, projection, pixel_values):
    """-> (image_embeds [B, P] (not normalized), last_hidden_state [B, 1 + N, H])."""
    p, H = c["patch"], c["hidden"]
    n = (c["image"] // p) ** 2
    conv_w = g.param("vision_model.embeddings.patch_embedding.weight",
                     w.get("vision_model.embeddings.patch_embedding.weight", (H, 3, p, p), 1.0 / math.sqrt(3 * p * p)))
    x = g.op("Conv", [pixel_values, conv_w], kernel_shape=[p, p], strides=[p, p])  # no bias in CLIP
    x = g.op("Transpose", [g.op("Reshape", [x, g.i64([0, H, -1])])], perm=[0, 2, 1])
    cls = g.param("vision_model.embeddings.class_embedding", w.get("vision_model.embeddings.class_embedding", (H,), 0.5))
    cls_shape = g.op("Concat", [dim(g, pixel_values, 0), g.i64([1, H])], axis=0)
    x = g.op("Concat", [g.op("Expand", [cls, cls_shape]), x], axis=1)
    x = g.op("Add", [x, g.param("vision_model.embeddings.position_embedding.weight",
                                w.get("vision_model.embeddings.position_embedding.weight", (n + 1, H), 0.2))])
    x = layer_norm(g, w, x, "vision_model.pre_layrnorm", H, c["eps"])
    for i in range(c["layers"]):
        x = pre_ln_layer(g, w, x, f"vision_model.encoder.layers.{i}", c)
    pooled = layer_norm(g, w, g.op("Gather", [x, g.i64(0)], axis=1), "vision_model.post_layernorm", H, c["eps"])
    return linear(g, w, pooled, "visual_projection", H, projection, bias=False), x


def clip_text(g, w, c, projection, input_ids, attention_mask):
    """-> (text_embeds [B, P] (not normalized), last_hidden_state [B, S, H]). Causal + padding mask;
    pooled at argmax(input_ids) (the EOS token has the largest id)."""
    H = c["hidden"]
    x = g.embedding("text_model.embeddings.token_embedding.weight",
                    w.get("text_model.embeddings.token_embedding.weight", (c["vocab"], H), 0.5), input_ids)
    seq_len = dim(g, input_ids, 1)
    x = g.op("Add", [x, positions(g, w, "text_model.embeddings.position_embedding.weight", c["max_pos"], H, seq_len, 0.2)])
    r = g.op("Range", [g.i64(0), g.op("Squeeze", [seq_len, g.i64([0])]), g.i64(1)])
    causal = g.op("LessOrEqual", [g.op("Unsqueeze", [r, g.i64([0])]), g.op("Unsqueeze", [r, g.i64([1])])])  # key j <= query i
    mask = additive(g, g.op("And", [padding_mask(g, attention_mask), causal]))
    for i in range(c["layers"]):
        x = pre_ln_layer(g, w, x, f"text_model.encoder.layers.{i}", c, mask)
    last = layer_norm(g, w, x, "text_model.final_layer_norm", H, c["eps"])
    eos = g.op("Unsqueeze", [g.op("ArgMax", [input_ids], axis=-1, keepdims=0), g.i64([1])])
    pooled = g.op("GatherND", [last, eos], batch_dims=1)
    return linear(g, w, pooled, "text_projection", H, projection, bias=False), last


def clip_vision_graph(spec, w):
    c, P = spec["vision"], spec["projection"]
    g = Graph()
    pv = g.input("pixel_values", TensorProto.FLOAT, ["batch_size", 3, c["image"], c["image"]])
    embeds, last = clip_vision(g, w, c, P, pv)
    g.output(embeds, "image_embeds", TensorProto.FLOAT, ["batch_size", P])
    g.output(last, "last_hidden_state", TensorProto.FLOAT, ["batch_size", (c["image"] // c["patch"]) ** 2 + 1, c["hidden"]])
    return g


def clip_text_graph(spec, w):
    c, P = spec["text"], spec["projection"]
    g = Graph()
    ids = g.input("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"])
    am = g.input("attention_mask", TensorProto.INT64, ["batch_size", "sequence_length"])
    embeds, last = clip_text(g, w, c, P, ids, am)
    g.output(embeds, "text_embeds", TensorProto.FLOAT, ["batch_size", P])
    g.output(last, "last_hidden_state", TensorProto.FLOAT, ["batch_size", "sequence_length", c["hidden"]])
    return g


def clip_combined_graph(spec, w):
    """CLIPModel: logits_per_text = exp(logit_scale) * text_embeds . image_embeds^T (embeds L2-normalized)."""
    vc, tc, P = spec["vision"], spec["text"], spec["projection"]
    g = Graph()
    ids = g.input("input_ids", TensorProto.INT64, ["text_batch_size", "sequence_length"])
    pv = g.input("pixel_values", TensorProto.FLOAT, ["image_batch_size", 3, vc["image"], vc["image"]])
    am = g.input("attention_mask", TensorProto.INT64, ["text_batch_size", "sequence_length"])
    text_embeds = l2_normalize(g, clip_text(g, w, tc, P, ids, am)[0])
    image_embeds = l2_normalize(g, clip_vision(g, w, vc, P, pv)[0])
    scale = g.param("logit_scale", np.array(spec["logit_scale"], dtype=np.float32))
    per_text = g.op("Mul", [g.op("MatMul", [text_embeds, g.op("Transpose", [image_embeds], perm=[1, 0])]), g.op("Exp", [scale])])
    g.output(g.op("Transpose", [per_text], perm=[1, 0]), "logits_per_image", TensorProto.FLOAT, ["image_batch_size", "text_batch_size"])
    g.output(per_text, "logits_per_text", TensorProto.FLOAT, ["text_batch_size", "image_batch_size"])
    g.output(text_embeds, "text_embeds", TensorProto.FLOAT, ["text_batch_size", P])
    g.output(image_embeds, "image_embeds", TensorProto.FLOAT, ["image_batch_size", P])
    return g


# ---------------------------------------------------------------------------------------------------------
# Models for the ONNX Runtime binding's tests
# ---------------------------------------------------------------------------------------------------------

ORT_DTYPES_MATRIX = np.arange(1, 13, dtype=np.float32).reshape(4, 3)  # W[i][j] = 3 i + j + 1


def ort_dtypes_graph():
    g = Graph()
    batch = ["batch_size", 4]
    f = g.input("float_input", TensorProto.FLOAT, batch)
    i64 = g.input("int64_input", TensorProto.INT64, batch)
    i32 = g.input("int32_input", TensorProto.INT32, batch)
    f16 = g.input("float16_input", TensorProto.FLOAT16, batch)
    b = g.input("bool_input", TensorProto.BOOL, batch)
    g.output(g.op("Add", [f, g.f32(1.0)]), "float_output", TensorProto.FLOAT, batch)
    g.output(g.op("Mul", [i64, g.i64(2)]), "int64_output", TensorProto.INT64, batch)
    g.output(g.op("Add", [i32, g.const(7, np.int32)]), "int32_output", TensorProto.INT32, batch)
    g.output(g.op("Mul", [f16, g.const(2, np.float16)]), "float16_output", TensorProto.FLOAT16, batch)
    g.output(g.op("Not", [b]), "bool_output", TensorProto.BOOL, batch)
    total = f
    for value in (i64, i32, f16, b):
        total = g.op("Add", [total, g.op("Cast", [value], to=TensorProto.FLOAT)])
    g.output(total, "sum_output", TensorProto.FLOAT, batch)
    g.output(g.op("MatMul", [f, g.f32(ORT_DTYPES_MATRIX)]), "matmul_output", TensorProto.FLOAT, ["batch_size", 3])
    g.output(g.op("ReduceSum", [f, g.i64([0])], keepdims=0), "column_sum_output", TensorProto.FLOAT, [4])
    g.output(g.op("ReduceSum", [f], keepdims=0), "total_output", TensorProto.FLOAT, [])
    return g


def ort_slow_graph(spec, w):
    """A long chain y = tanh(y W) that reuses ONE 512x512 initializer: small file, long run."""
    n = spec["width"]
    g = Graph()
    y = g.input("x", TensorProto.FLOAT, ["n", n])
    weight = g.param("weight", w.get("weight", (n, n), 1.0 / math.sqrt(n)))
    for _ in range(spec["layers"]):
        y = g.op("Tanh", [g.op("MatMul", [y, weight])])
    g.output(y, "y", TensorProto.FLOAT, ["n", n])
    return g


# ---------------------------------------------------------------------------------------------------------
# FLOPs per item (2 * M * N * K over every MatMul and Conv, attention products included; embedding
# lookups, norms, softmax and element-wise ops are not counted)
# ---------------------------------------------------------------------------------------------------------

def encoder_flops(tokens, hidden, inner, layers):
    t, h = tokens, hidden
    return layers * (8 * t * h * h + 4 * t * t * h + 4 * t * h * inner)


def siglip_vision_flops(c):
    n, h = (c["image"] // c["patch"]) ** 2, c["hidden"]
    conv = 2 * n * h * 3 * c["patch"] ** 2
    head = 4 * n * h * h + 4 * h * h + 4 * n * h + 4 * h * c["mlp"]  # MAP: k/v over N, q/o on the probe, MLP
    return conv + encoder_flops(n, h, c["mlp"], c["layers"]) + head


def siglip_text_flops(c, tokens):
    return encoder_flops(tokens, c["hidden"], c["mlp"], c["layers"]) + 2 * c["hidden"] * c["projection"]


def gemma_flops(spec, tokens, with_head=True):
    c = spec["text"]
    h, q, kv, s = c["hidden"], c["heads"] * c["head_dim"], c["kv_heads"] * c["head_dim"], tokens
    per_layer = 2 * s * h * q + 4 * s * h * kv + 2 * s * q * h + 4 * s * s * q + 6 * s * h * c["mlp"]
    return c["layers"] * per_layer + (4 * h * spec["dense"] if with_head else 0)


def clip_vision_flops(c, projection):
    n, h = (c["image"] // c["patch"]) ** 2, c["hidden"]
    return 2 * n * h * 3 * c["patch"] ** 2 + encoder_flops(n + 1, h, c["mlp"], c["layers"]) + 2 * h * projection


def text_lengths(max_len):
    return [s for s in (16, 64, 128, 256, 512, 2048) if s <= max_len]


# ---------------------------------------------------------------------------------------------------------
# Config and tokenizer files
# ---------------------------------------------------------------------------------------------------------

class Writer:
    """Writes the files of one model folder and records what was written."""

    def __init__(self, folder, pretty_tokenizer):
        self.folder = folder
        self.pretty_tokenizer = pretty_tokenizer
        self.params = {}
        self.flops = {}
        self.flops_checks = []

    def path(self, rel):
        full = os.path.join(self.folder, rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        return full

    def json(self, rel, obj, indent=2):
        with open(self.path(rel), "w", encoding="utf-8", newline="\n") as f:
            json.dump(obj, f, indent=indent, ensure_ascii=False)
            f.write("\n")

    def tokenizer_json(self, obj):
        # The hub's tokenizer.json is pretty-printed (indent 2); the tiny models keep it compact (~14 MB
        # instead of ~33 MB for Gemma 3). Same content either way.
        # json.dumps, not json.dump: only a one-shot compact encode uses the C encoder (seconds faster).
        if self.pretty_tokenizer:
            text = json.dumps(obj, indent=2, ensure_ascii=False)
        else:
            text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
        with open(self.path("tokenizer.json"), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)

    def copy(self, source_dir, names):
        for name in names:
            shutil.copyfile(os.path.join(source_dir, name), self.path(name))

    def count_flops(self, label, value, rel, dims):
        """Records a FLOPs figure; tiny models re-count it from the graph's inferred shapes (dims: the
        symbolic input dims fixed for that count)."""
        self.flops[label] = value
        self.flops_checks.append((rel, dims, value, label))

    def onnx(self, rel, graph):
        path = self.path(rel)
        write_model(path, graph)
        self.params[rel] = graph.param_count
        return path


_gemma_cache = {}


def gemma_tokenizer():
    if not _gemma_cache:
        for name in ("tokenizer.json", "tokenizer_config.json"):
            path = os.path.join(GEMMA_TOKENIZER_DIR, name)
            if not os.path.exists(path):
                sys.exit(f"generate.py: {path} is missing; run eng/restore-assets.sh first")
            with open(path, encoding="utf-8") as f:
                _gemma_cache[name] = json.load(f)
    return _gemma_cache["tokenizer.json"], _gemma_cache["tokenizer_config.json"]


def template(bos, eos):
    """The TemplateProcessing post-processor transformers writes for add_bos_token / add_eos_token."""
    def seq(seq_id, type_id):
        items = [{"SpecialToken": {"id": "<bos>", "type_id": type_id}}] if bos else []
        items.append({"Sequence": {"id": seq_id, "type_id": type_id}})
        if eos:
            items.append({"SpecialToken": {"id": "<eos>", "type_id": type_id}})
        return items
    special = {}
    if bos:
        special["<bos>"] = {"id": "<bos>", "ids": [2], "tokens": ["<bos>"]}
    if eos:
        special["<eos>"] = {"id": "<eos>", "ids": [1], "tokens": ["<eos>"]}
    return {"type": "TemplateProcessing", "single": seq("A", 0), "pair": seq("A", 0) + seq("B", 1), "special_tokens": special}


def special_token(content):
    return {"content": content, "lstrip": False, "normalized": False, "rstrip": False, "single_word": False}


def write_gemma_tokenizer(wr, bos, eos, max_length, siglip):
    tok, cfg = gemma_tokenizer()
    vocab = tok["model"]["vocab"]
    assert vocab["<pad>"] == 0 and vocab["<eos>"] == 1 and vocab["<bos>"] == 2 and vocab["<unk>"] == 3
    tok = dict(tok)
    tok["post_processor"] = template(bos, eos)
    wr.tokenizer_json(tok)
    cfg = dict(cfg)
    cfg.update(add_bos_token=bos, add_eos_token=eos, eos_token="<eos>", model_max_length=max_length, padding_side="right")
    cfg.pop("chat_template", None)
    cfg.pop("processor_class", None)  # Gemma3Processor is the multimodal chat model's
    special = {"bos_token": special_token("<bos>"), "eos_token": special_token("<eos>"),
               "pad_token": special_token("<pad>"), "unk_token": special_token("<unk>")}
    if siglip:
        # As transformers' SigLIP2 conversion saves it: no BOS, EOS appended, only input_ids.
        for key in ("boi_token", "eoi_token", "image_token", "extra_special_tokens"):
            cfg.pop(key, None)
        cfg.update(processor_class="SiglipProcessor", model_input_names=["input_ids"])
    else:
        for key in ("boi_token", "eoi_token", "image_token"):
            if key in cfg:
                special[key] = cfg[key]
    wr.json("tokenizer_config.json", dict(sorted(cfg.items())))
    wr.json("special_tokens_map.json", dict(sorted(special.items())))


def siglip_config(spec):
    t, v = spec["text"], spec["vision"]
    return {
        "architectures": ["SiglipModel"],
        "initializer_factor": 1.0,
        "model_type": "siglip",
        "text_config": {
            "attention_dropout": 0.0, "bos_token_id": 2, "eos_token_id": 1, "hidden_act": t["act"],
            "hidden_size": t["hidden"], "intermediate_size": t["mlp"], "layer_norm_eps": t["eps"],
            "max_position_embeddings": t["max_pos"], "model_type": "siglip_text_model",
            "num_attention_heads": t["heads"], "num_hidden_layers": t["layers"], "pad_token_id": 0,
            "projection_size": t["projection"], "torch_dtype": "float32", "vocab_size": t["vocab"],
        },
        "torch_dtype": "float32",
        "transformers_version": "4.49.0",
        "vision_config": {
            "attention_dropout": 0.0, "hidden_act": v["act"], "hidden_size": v["hidden"], "image_size": v["image"],
            "intermediate_size": v["mlp"], "layer_norm_eps": v["eps"], "model_type": "siglip_vision_model",
            "num_attention_heads": v["heads"], "num_channels": 3, "num_hidden_layers": v["layers"],
            "patch_size": v["patch"], "torch_dtype": "float32",
        },
    }


def siglip_preprocessor(spec):
    size = spec["vision"]["image"]
    return {
        "do_convert_rgb": None, "do_normalize": True, "do_rescale": True, "do_resize": True,
        "image_mean": [0.5, 0.5, 0.5], "image_processor_type": "SiglipImageProcessor",
        "image_std": [0.5, 0.5, 0.5], "processor_class": "SiglipProcessor", "resample": 2,
        "rescale_factor": 1 / 255, "size": {"height": size, "width": size},
    }


def gemma_config(spec):
    c = spec["text"]
    return {
        "_sliding_window_pattern": 6, "architectures": ["Gemma3TextModel"], "attention_bias": False,
        "attention_dropout": 0.0, "attn_logit_softcapping": None, "bos_token_id": 2, "eos_token_id": 1,
        "final_logit_softcapping": None, "head_dim": c["head_dim"], "hidden_activation": "gelu_pytorch_tanh",
        "hidden_size": c["hidden"], "initializer_range": 0.02, "intermediate_size": c["mlp"],
        "layer_types": layer_types(c["layers"]), "max_position_embeddings": 2048, "model_type": "gemma3_text",
        "num_attention_heads": c["heads"], "num_hidden_layers": c["layers"], "num_key_value_heads": c["kv_heads"],
        "pad_token_id": 0, "query_pre_attn_scalar": c["query_pre_attn_scalar"], "rms_norm_eps": c["eps"],
        "rope_local_base_freq": c["rope_local_base_freq"], "rope_scaling": None, "rope_theta": c["rope_theta"],
        "sliding_window": 512, "torch_dtype": "float32", "transformers_version": "4.57.0.dev0",
        "use_bidirectional_attention": True, "use_cache": True, "vocab_size": c["vocab"],
    }


EMBEDDINGGEMMA_PROMPTS = {
    "query": "task: search result | query: ",
    "document": "title: none | text: ",
    "BitextMining": "task: search result | query: ",
    "Clustering": "task: clustering | query: ",
    "Classification": "task: classification | query: ",
    "InstructionRetrieval": "task: code retrieval | query: ",
    "MultilabelClassification": "task: classification | query: ",
    "PairClassification": "task: sentence similarity | query: ",
    "Reranking": "task: search result | query: ",
    "Retrieval": "task: search result | query: ",
    "Retrieval-query": "task: search result | query: ",
    "Retrieval-document": "title: none | text: ",
    "STS": "task: sentence similarity | query: ",
    "Summarization": "task: summarization | query: ",
}


def pooling_config(hidden):
    return {
        "word_embedding_dimension": hidden, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False, "pooling_mode_lasttoken": False, "include_prompt": True,
    }


def module(idx, path, kind):
    return {"idx": idx, "name": str(idx), "path": path, "type": f"sentence_transformers.models.{kind}"}


# ---------------------------------------------------------------------------------------------------------
# Model folders
# ---------------------------------------------------------------------------------------------------------

def build_siglip(wr, spec):
    w = Weights(spec["seed"])
    wr.json("config.json", siglip_config(spec))
    wr.json("preprocessor_config.json", siglip_preprocessor(spec))
    write_gemma_tokenizer(wr, bos=False, eos=True, max_length=spec["text"]["max_pos"], siglip=True)
    wr.onnx("onnx/vision_model.onnx", siglip_vision_graph(spec, w))
    wr.count_flops("vision_model per image", siglip_vision_flops(spec["vision"]), "onnx/vision_model.onnx", {"batch_size": 1})
    if spec.get("text_model", True):
        s = spec["text"]["max_pos"]
        wr.onnx("onnx/text_model.onnx", siglip_text_graph(spec, w))
        wr.count_flops(f"text_model per text ({s} tokens)", siglip_text_flops(spec["text"], s), "onnx/text_model.onnx",
                       {"batch_size": 1, "sequence_length": s})
    if spec.get("combined"):
        wr.onnx("onnx/model.onnx", siglip_combined_graph(spec, w))
    for variant, suffix in spec.get("variants", {}).items():
        wr.onnx(f"onnx/vision_model_{suffix}.onnx", siglip_vision_graph(spec, w, variant))
        wr.onnx(f"onnx/text_model_{suffix}.onnx", siglip_text_graph(spec, w, variant))


def build_gemma(wr, spec):
    w = Weights(spec["seed"])
    H, D = spec["text"]["hidden"], spec["dense"]
    wr.json("config.json", gemma_config(spec))
    write_gemma_tokenizer(wr, bos=True, eos=True, max_length=2048, siglip=False)
    wr.json("modules.json", [module(0, "", "Transformer"), module(1, "1_Pooling", "Pooling"),
                             module(2, "2_Dense", "Dense"), module(3, "3_Dense", "Dense"),
                             module(4, "4_Normalize", "Normalize")])
    wr.json("sentence_bert_config.json", {"max_seq_length": 2048, "do_lower_case": False})
    wr.json("1_Pooling/config.json", pooling_config(H))
    for folder, din, dout in (("2_Dense", H, D), ("3_Dense", D, H)):
        wr.json(f"{folder}/config.json", {"in_features": din, "out_features": dout, "bias": False,
                                          "activation_function": "torch.nn.modules.linear.Identity"})
    wr.json("config_sentence_transformers.json", {
        "model_type": "SentenceTransformer",
        "__version__": {"sentence_transformers": "5.1.0", "transformers": "4.57.0.dev0", "pytorch": "2.8.0+cu128"},
        "prompts": EMBEDDINGGEMMA_PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"})
    with_head = spec["with_head"]
    wr.onnx("onnx/model.onnx", gemma_graph(spec, w, with_head))
    if not with_head:
        for name, _, _ in dense_layers(spec):
            folder = name.split(".")[0]
            weight = dense_weight(spec, w, name)
            write_safetensors(wr.path(f"{folder}/model.safetensors"), [("linear.weight", weight)])
            wr.params[f"{folder}/model.safetensors"] = weight.size
    for s in text_lengths(2048):
        wr.count_flops(f"model per text ({s} tokens)", gemma_flops(spec, s, with_head), "onnx/model.onnx",
                       {"batch_size": 1, "sequence_length": s})


def build_minilm(wr, spec):
    w = Weights(spec["seed"])
    c = spec["text"]
    with open(os.path.join(MINILM_TOKENIZER_DIR, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    config.update(hidden_size=c["hidden"], intermediate_size=c["mlp"], num_attention_heads=c["heads"],
                  num_hidden_layers=c["layers"], max_position_embeddings=c["max_pos"], vocab_size=c["vocab"],
                  type_vocab_size=c["type_vocab"], layer_norm_eps=c["eps"])
    wr.json("config.json", config)
    wr.copy(MINILM_TOKENIZER_DIR, ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"])
    wr.json("modules.json", [module(0, "", "Transformer"), module(1, "1_Pooling", "Pooling"), module(2, "2_Normalize", "Normalize")])
    wr.json("sentence_bert_config.json", {"max_seq_length": 256, "do_lower_case": False})
    wr.json("1_Pooling/config.json", pooling_config(c["hidden"]))
    wr.onnx("onnx/model.onnx", bert_graph(spec, w))
    for s in text_lengths(256):
        wr.count_flops(f"model per text ({s} tokens)", encoder_flops(s, c["hidden"], c["mlp"], c["layers"]), "onnx/model.onnx",
                       {"batch_size": 1, "sequence_length": s})


def build_clip(wr, spec):
    w = Weights(spec["seed"])
    t, v, P = spec["text"], spec["vision"], spec["projection"]
    with open(os.path.join(CLIP_TOKENIZER_DIR, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    config["projection_dim"] = P
    config["text_config"].update(hidden_size=t["hidden"], intermediate_size=t["mlp"], num_attention_heads=t["heads"],
                                 num_hidden_layers=t["layers"], projection_dim=P, vocab_size=t["vocab"],
                                 max_position_embeddings=t["max_pos"])
    config["vision_config"].update(hidden_size=v["hidden"], intermediate_size=v["mlp"], num_attention_heads=v["heads"],
                                   num_hidden_layers=v["layers"], projection_dim=P, patch_size=v["patch"], image_size=v["image"])
    wr.json("config.json", config)
    wr.copy(CLIP_TOKENIZER_DIR, ["preprocessor_config.json", "tokenizer.json", "tokenizer_config.json",
                                 "special_tokens_map.json", "vocab.json", "merges.txt"])
    wr.onnx("onnx/vision_model.onnx", clip_vision_graph(spec, w))
    wr.onnx("onnx/text_model.onnx", clip_text_graph(spec, w))
    wr.onnx("onnx/model.onnx", clip_combined_graph(spec, w))
    wr.count_flops("vision_model per image", clip_vision_flops(v, P), "onnx/vision_model.onnx", {"batch_size": 1})
    for s in (16, t["max_pos"]):
        wr.count_flops(f"text_model per text ({s} tokens)", encoder_flops(s, t["hidden"], t["mlp"], t["layers"]) + 2 * t["hidden"] * P,
                       "onnx/text_model.onnx", {"batch_size": 1, "sequence_length": s})


def build_ort_dtypes(wr, spec):
    wr.onnx("model.onnx", ort_dtypes_graph())


def build_ort_slow(wr, spec):
    wr.onnx("model.onnx", ort_slow_graph(spec, Weights(spec["seed"])))
    wr.count_flops("model per row", spec["layers"] * 2 * spec["width"] ** 2, "model.onnx", {"n": 1})


def vit(hidden, layers, heads, mlp, image, patch, act="gelu_pytorch_tanh", eps=1e-6):
    return dict(hidden=hidden, layers=layers, heads=heads, mlp=mlp, image=image, patch=patch, act=act, eps=eps)


def text_tower(hidden, layers, heads, mlp, vocab, max_pos, act="gelu_pytorch_tanh", eps=1e-6, **extra):
    return dict(hidden=hidden, layers=layers, heads=heads, mlp=mlp, vocab=vocab, max_pos=max_pos, act=act, eps=eps, **extra)


def gemma_text(hidden, layers, heads, head_dim, mlp):
    return dict(hidden=hidden, layers=layers, heads=heads, kv_heads=1, head_dim=head_dim, mlp=mlp, vocab=GEMMA_VOCAB,
                eps=1e-6, query_pre_attn_scalar=head_dim, rope_theta=1000000.0, rope_local_base_freq=10000.0)


GEMMA_VOCAB = 262144
# Realistic learned SigLIP temperature and bias: exp(4.7) ~ 110, bias ~ -16.5.
SIGLIP_LOGITS = dict(logit_scale=4.7, logit_bias=-16.5)

TINY = {
    "siglip2": (build_siglip, dict(
        seed="siglip2-tiny", combined=True, variants={"fp16": "fp16", "int8": "quantized"},
        vision=vit(32, 2, 2, 128, 224, 16),
        # Text hidden size differs from the vision one (the head projects to it) so the two cannot be confused.
        text=text_tower(24, 2, 2, 96, GEMMA_VOCAB, 64, projection=32, qk_gain=2.0), **SIGLIP_LOGITS)),
    "embeddinggemma": (build_gemma, dict(seed="embeddinggemma-tiny", with_head=True, dense=128,
                                         text=gemma_text(32, 6, 2, 16, 48))),
    "embeddinggemma-dense": (build_gemma, dict(seed="embeddinggemma-tiny", with_head=False, dense=128,
                                               text=gemma_text(32, 6, 2, 16, 48))),
    "minilm": (build_minilm, dict(seed="minilm-tiny", text=text_tower(32, 2, 2, 128, 30522, 512, act="gelu", eps=1e-12, type_vocab=2))),
    "clip": (build_clip, dict(seed="clip-tiny", projection=24, logit_scale=4.6052,
                              vision=vit(32, 2, 2, 128, 224, 32, act="quick_gelu", eps=1e-5),
                              text=text_tower(40, 2, 2, 160, 49408, 77, act="quick_gelu", eps=1e-5))),
    "ort-dtypes": (build_ort_dtypes, dict()),
    "ort-slow": (build_ort_slow, dict(seed="ort-slow", width=512, layers=600)),
}

FULL = {
    "siglip2-base-patch16-224": (build_siglip, dict(
        seed="siglip2-base-patch16-224", vision=vit(768, 12, 12, 3072, 224, 16),
        text=text_tower(768, 12, 12, 3072, GEMMA_VOCAB, 64, projection=768, qk_gain=2.0), **SIGLIP_LOGITS)),
    "siglip2-so400m-patch14-384": (build_siglip, dict(
        seed="siglip2-so400m-patch14-384", text_model=False, vision=vit(1152, 27, 16, 4304, 384, 14),
        text=text_tower(1152, 27, 16, 4304, GEMMA_VOCAB, 64, projection=1152), **SIGLIP_LOGITS)),
    "embeddinggemma-300m": (build_gemma, dict(seed="embeddinggemma-300m", with_head=True, dense=3072,
                                              text=gemma_text(768, 24, 3, 256, 1152))),
}

INPUTS = {
    build_siglip: [os.path.join(GEMMA_TOKENIZER_DIR, n) for n in ("tokenizer.json", "tokenizer_config.json")],
    build_gemma: [os.path.join(GEMMA_TOKENIZER_DIR, n) for n in ("tokenizer.json", "tokenizer_config.json")],
    build_minilm: [os.path.join(MINILM_TOKENIZER_DIR, n) for n in ("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt")],
    build_clip: [os.path.join(CLIP_TOKENIZER_DIR, n) for n in ("config.json", "preprocessor_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt")],
}


def file_digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def stamp_for(mode, name, builder):
    h = hashlib.sha256()
    with open(os.path.abspath(__file__), "rb") as f:
        h.update(f.read())
    h.update(f"{mode}/{name}".encode())
    for path in INPUTS.get(builder, []):
        h.update(file_digest(path).encode() if os.path.exists(path) else b"missing")
    return h.hexdigest()


def inferred_flops(path, dims):
    """2 M N K over every MatMul and Conv, from ONNX shape inference with the given input dims fixed; None when
    some shape stays unknown (shape inference cannot follow every runtime-computed shape)."""
    model = onnx.load(path)
    for value in model.graph.input:
        for d in value.type.tensor_type.shape.dim:
            if d.dim_param:
                size = dims[d.dim_param]
                d.Clear()
                d.dim_value = size
    model = onnx.shape_inference.infer_shapes(model, data_prop=True)
    shapes = {t.name: list(t.dims) for t in model.graph.initializer}
    for value in list(model.graph.value_info) + list(model.graph.input) + list(model.graph.output):
        shapes[value.name] = [d.dim_value if d.HasField("dim_value") else None for d in value.type.tensor_type.shape.dim]
    total = 0
    for node in model.graph.node:
        if node.op_type not in ("MatMul", "Conv"):
            continue
        a, b, out = (shapes.get(n) for n in (node.input[0], node.input[1], node.output[0]))
        if not a or not b or not out or None in a or None in b or None in out:
            return None
        k = a[-1] if node.op_type == "MatMul" else int(np.prod(b[1:]))
        total += 2 * int(np.prod(out)) * k
    return total


def check(folder, files, tiny, flops_checks):
    for rel in files:
        if rel.endswith(".onnx"):
            path = os.path.join(folder, rel)
            # Path form: the checker loads the file in C++ (no 2 GB protobuf copy in Python).
            onnx.checker.check_model(path, full_check=tiny)
            if tiny:
                # The streaming writer must produce exactly onnx's own serialization.
                with open(path, "rb") as f:
                    data = f.read()
                assert onnx.load_from_string(data).SerializeToString() == data, f"{rel}: not canonical"
    if tiny:
        # The FLOPs formulas (used for the full-size figures too) must match the graphs where shapes infer.
        seen = {}
        for rel, dims, value, label in flops_checks:
            seen[rel] = seen.get(rel, 0) + 1
            if seen[rel] > 2:  # two lengths pin down the linear and the quadratic (attention) terms
                continue
            counted = inferred_flops(os.path.join(folder, rel), dims)
            assert counted is None or counted == value, f"{label}: formula {value} != graph {counted}"


def generate(mode, name, builder, spec, out):
    folder = os.path.join(out, name)
    tmp = os.path.join(out, f".tmp-{name}")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    wr = Writer(tmp, pretty_tokenizer=(mode == "full"))
    builder(wr, spec)
    files = sorted(os.path.relpath(os.path.join(d, f), tmp).replace(os.sep, "/") for d, _, fs in os.walk(tmp) for f in fs)
    check(tmp, files, mode == "tiny", wr.flops_checks)
    shutil.rmtree(folder, ignore_errors=True)
    os.rename(tmp, folder)
    info = {"files": {rel: os.path.getsize(os.path.join(folder, rel)) for rel in files},
            "parameters": wr.params, "flops": wr.flops}
    for key in ("logit_scale", "logit_bias"):
        if key in spec:
            info[key] = spec[key]
    return info


def main():
    parser = argparse.ArgumentParser(description="Generates synthetic ONNX models in Hugging Face hub layouts.")
    parser.add_argument("mode", choices=["tiny", "full"])
    parser.add_argument("--out", required=True, help="output folder (one sub-folder per model)")
    parser.add_argument("--only", help="comma-separated model names")
    parser.add_argument("--force", action="store_true", help="regenerate even when the stamp is current")
    args = parser.parse_args()

    table = TINY if args.mode == "tiny" else FULL
    names = list(table)
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in table]
        if unknown:
            sys.exit(f"generate.py: unknown {args.mode} model(s) {', '.join(unknown)}; known: {', '.join(table)}")
    out = os.path.abspath(args.out)
    stamps = os.path.join(out, ".stamps")
    os.makedirs(stamps, exist_ok=True)
    started = time.time()
    for name in names:
        builder, spec = table[name]
        stamp = stamp_for(args.mode, name, builder)
        stamp_path = os.path.join(stamps, name + ".json")
        if not args.force:
            try:
                with open(stamp_path, encoding="utf-8") as f:
                    if json.load(f).get("stamp") == stamp and os.path.isdir(os.path.join(out, name)):
                        continue
            except (OSError, ValueError):
                pass
        t0 = time.time()
        info = generate(args.mode, name, builder, spec, out)
        with open(stamp_path, "w", encoding="utf-8") as f:
            json.dump({"stamp": stamp, **info}, f, indent=2)
        size = sum(info["files"].values())
        print(f"generate.py: {args.mode}/{name}: {size / 1e6:.1f} MB in {time.time() - t0:.1f} s", flush=True)

    # models.json: what every generated model holds (files, parameter counts, FLOPs), for the benchmarks.
    manifest = {}
    for entry in sorted(os.listdir(stamps)):
        name = entry[:-5]
        if entry.endswith(".json") and name in table and os.path.isdir(os.path.join(out, name)):
            with open(os.path.join(stamps, entry), encoding="utf-8") as f:
                info = json.load(f)
            info.pop("stamp", None)
            manifest[name] = info
    with open(os.path.join(out, "models.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    if time.time() - started > 1:
        print(f"generate.py: {args.mode} done in {time.time() - started:.1f} s")


if __name__ == "__main__":
    main()
