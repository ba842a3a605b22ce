#!/usr/bin/env python3
"""Writes the malformed-input corpus of psp-examples' InputCorpusTest: small .npy and image files,
and index.tsv naming each case, the command that reads it and the outcome the SDK must give.

Usage: python3 make_input_corpus.py [out-dir]   (default: ../resources/corpus next to this script)
Needs numpy and Pillow. Deterministic: the same files every run.
"""
import io
import os
import struct
import sys
import zlib

import numpy as np
from PIL import Image

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "resources", "corpus")
CASES = []  # (file, command, outcome, message fragment)


def case(name, data, command, outcome, fragment):
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    CASES.append((name, command, outcome, fragment))


def npy_bytes(arr, **kw):
    b = io.BytesIO()
    np.save(b, arr, **kw)
    return b.getvalue()


def npy_header(descr, shape, fortran=False, version=1, body=b""):
    h = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape)
    h = h.encode("latin1")
    pad = 64 - (10 + len(h) + 1) % 64
    h = h + b" " * pad + b"\n"
    if version == 1:
        return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h + body
    return b"\x93NUMPY" + bytes([version, 0]) + struct.pack("<I", len(h)) + h + body


def png_bytes(img, **kw):
    b = io.BytesIO()
    img.save(b, "PNG", **kw)
    return b.getvalue()


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(w, h):
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * (1 << 20), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


rng = np.random.default_rng(20261202)
face = Image.fromarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8))
REF = "refused"
OK = "accepted"

# ---- preprocessed inputs [B, C, 256, 256] for `psp translate --model encode -i x.npy`
T = "translate-npy"
case("npy/empty.npy", b"", T, REF, "shorter than its 8-byte preamble")
case("npy/text.npy", b"this is not numpy, just text\n", T, REF, "missing the \\x93NUMPY magic")
case("npy/version_9.npy", b"\x93NUMPY\x09\x00" + b"\0" * 16, T, REF, "unsupported .npy format version 9")
case("npy/complex64.npy", npy_bytes(np.zeros((1, 3, 4, 4), np.complex64)), T, REF, "unsupported dtype '<c8'")
case("npy/object_array.npy", npy_bytes(np.array([{"a": 1}, None], dtype=object), allow_pickle=True), T, REF,
     "unsupported dtype '|O'")
case("npy/fortran_order.npy", npy_header("<f4", (1, 3, 2, 2), fortran=True, body=b"\0" * 48), T, REF,
     "Fortran-order arrays are not supported")
case("npy/big_endian.npy", npy_bytes(np.zeros((1, 3, 2, 2), ">f4")), T, REF, "unsupported dtype '>f4'")
case("npy/rank_2.npy", npy_bytes(np.zeros((3, 4), np.float32)), T, REF, "must be a preprocessed batch [B, C, 256, 256]")
case("npy/wrong_size.npy", npy_bytes(np.zeros((1, 3, 8, 8), np.float32)), T, REF, "only work at 256x256")
case("npy/wrong_channels.npy", npy_bytes(np.zeros((1, 1, 64, 64), np.float32)), T, REF, "takes 3 channel(s)")
case("npy/zero_batch.npy", npy_header("<f4", (0, 3, 256, 256)), T, REF, "holds no inputs (batch 0)")
case("npy/huge_shape.npy", npy_header("<f4", (100000, 3, 256, 256), body=b"\0" * 64), T, REF,
     "larger than 2 GiB")
case("npy/shape_overflow.npy", npy_header("<f4", (2 ** 40, 2 ** 40, 2 ** 40), body=b"\0" * 64), T, REF, "bad shape")
case("npy/negative_dim.npy", npy_header("<f4", (1, -3, 256, 256)), T, REF, "bad shape")
case("npy/truncated_data.npy", npy_header("<f4", (1, 3, 256, 256), body=b"\0" * 1000), T, REF,
     "truncated .npy data: header promises 786432 bytes, file has 1000")
lying = bytearray(npy_header("<f4", (1, 3, 2, 2), version=2, body=b"\0" * 48))
lying[8:12] = struct.pack("<I", 10_000_000)
case("npy/lying_header_length.npy", bytes(lying), T, REF, "implausible .npy header length 10000000")
short = npy_header("<f4", (1, 3, 2, 2), version=2)
case("npy/truncated_header.npy", short[: len(short) // 2], T, REF, "truncated .npy header")
case("npy/header_without_shape.npy", b"\x93NUMPY\x01\x00" + struct.pack("<H", 54)
     + b"{'descr': '<f4', 'fortran_order': False, }".ljust(53) + b"\n", T, REF, "has no 'shape'")

# ---- latent codes [B, 12, 32] of the bundled 128-px models for `psp decode --model encode -i codes.npy`
D = "decode-npy"
codes = np.zeros((1, 12, 32), np.float32)
nan = codes.copy()
nan[0, 3, 7] = np.nan
inf = codes.copy()
inf[0, 0, 0] = np.inf
case("codes/nan.npy", npy_bytes(nan), D, REF, "holds NaN")
case("codes/inf.npy", npy_bytes(inf), D, REF, "holds Infinity")
case("codes/wrong_rows.npy", npy_bytes(np.zeros((1, 18, 32), np.float32)), D, REF, "18")
case("codes/wrong_width.npy", npy_bytes(np.zeros((1, 12, 512), np.float32)), D, REF, "512")
case("codes/rank_4.npy", npy_bytes(np.zeros((1, 1, 12, 32), np.float32)), D, REF, "[1, 1, 12, 32]")
case("codes/int8.npy", npy_bytes(np.zeros((1, 12, 32), np.int8)), D, REF, "must be float32 or float64, got int8")
case("codes/zero_batch.npy", npy_header("<f4", (0, 12, 32)), D, REF, "holds no latent codes (batch 0)")
case("codes/valid.npy", npy_bytes(codes), D, OK, "")

# ---- images for `psp translate --model encode -i x.png`
I = "translate-image"
whole = png_bytes(face)
case("images/empty.png", b"", I, REF, "is not an image of an accepted format")
case("images/text.png", b"hello, I am text with a .png name\n", I, REF, "is not an image of an accepted format")
case("images/truncated_half.png", whole[: len(whole) // 2], I, REF, "the file is cut off")
case("images/truncated_no_iend.png", whole[:-12], I, REF, "without its IEND chunk")
case("images/truncated_header.png", whole[:30], I, REF, "cut off")
case("images/bomb_30000.png", png_bomb(30000, 30000), I, REF, "is a 30000x30000 image (900000000 pixels)")
case("images/bomb_wide.png", png_bomb(100000, 1), I, REF, "at most 16384 pixels a side")
case("images/bad_crc.png", whole[:40] + bytes([whole[40] ^ 0xFF]) + whole[41:], I, REF, "corrupt or cut off")
jb = io.BytesIO()
face.save(jb, "JPEG", quality=90)
jpeg = jb.getvalue()
case("images/truncated.jpg", jpeg[: len(jpeg) // 3], I, OK, "")  # ImageIO and PIL both decode what is there
case("images/one_pixel.png", png_bytes(Image.new("RGB", (1, 1), (200, 30, 40))), I, OK, "")
case("images/gray.png", png_bytes(face.convert("L")), I, OK, "")
case("images/palette.png", png_bytes(face.convert("P")), I, OK, "")
case("images/rgba.png", png_bytes(face.convert("RGBA")), I, OK, "")
case("images/sixteen_bit_gray.png", png_bytes(Image.fromarray((np.arange(64 * 64).reshape(64, 64) * 16).astype(np.uint16))), I, OK, "")
case("images/tall.png", png_bytes(Image.new("RGB", (8, 300), (10, 20, 30))), I, OK, "")
case("images/face.jpg", jpeg, I, OK, "")
cb = io.BytesIO()
face.convert("CMYK").save(cb, "JPEG", quality=90)
case("images/cmyk.jpg", cb.getvalue(), I, REF, "is a CMYK JPEG")
ex = io.BytesIO()
exif = Image.Exif()
exif[0x0112] = 6  # rotate 90 CW on display
face.save(ex, "JPEG", quality=90, exif=exif.tobytes())
case("images/exif_rotated.jpg", ex.getvalue(), I, OK, "")
frames = [Image.new("RGB", (16, 16), c) for c in [(255, 0, 0), (0, 255, 0)]]
gb = io.BytesIO()
frames[0].save(gb, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
case("images/animated.gif", gb.getvalue(), I, OK, "")
bb = io.BytesIO()
face.save(bb, "BMP")
case("images/truncated.bmp", bb.getvalue()[:200], I, REF, "corrupt or cut off")
case("images/jpeg_named_png.png", jpeg, I, OK, "")

with open(os.path.join(OUT, "index.tsv"), "w") as f:
    f.write("# file\tcommand\toutcome\tmessage fragment (written by make_input_corpus.py)\n")
    for c in CASES:
        f.write("\t".join(c) + "\n")
print(len(CASES), "cases in", OUT)
