#!/usr/bin/env python3
"""Writes the small .pt files the Java checkpoint-reader tests use, under src/test/resources/pt/.

    python3 make_test_checkpoints.py            # needs python3 with torch (1.13 was used)

valid/      files the reader must accept; the tests list their expected content by hand.
malformed/  broken or hostile files; each must fail with a CheckpointFormatException (or its subclass
            UnsafeCheckpointException). MalformedCheckpointTest lists every one with the defect it
            expects.

The hostile pickles are written opcode by opcode, so nothing is ever executed here either.
Torch's legacy files name storages by memory address, so legacy files differ from run to run.
"""
import argparse
import collections
import io
import os
import pickle
import random
import struct
import zipfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "pt")
LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
SYS_INFO = dict(protocol_version=1001, little_endian=True, type_sizes=dict(short=2, int=4, long=4))


# ---- pickle opcodes, for hand-written pickles ------------------------------------------------------

def proto(n=2):
    return b"\x80" + bytes([n])


def global_(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def short_unicode(s):
    b = s.encode()
    return b"\x8c" + bytes([len(b)]) + b


def unicode_(s):
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def binint(n):
    return b"J" + struct.pack("<i", n)


STOP, MARK, TUPLE, TUPLE1, REDUCE, EMPTY_DICT, EMPTY_LIST = b".", b"(", b"t", b"\x85", b"R", b"}", b"]"
SETITEM, APPEND, STACK_GLOBAL, MEMOIZE, BINPERSID = b"s", b"a", b"\x93", b"\x94", b"Q"


# ---- fake torch objects, pickled exactly as torch.save pickles the real ones ------------------------

class Storage:
    """A storage for the persistent-id hook; torch writes ('storage', type, key, location, numel)."""

    def __init__(self, key, numel, storage_type=torch.FloatStorage, view=None, legacy=False):
        self.key, self.numel, self.type, self.view, self.legacy = key, numel, storage_type, view, legacy

    def pid(self):
        pid = ("storage", self.type, self.key, "cpu", self.numel)
        return pid + (self.view,) if self.legacy else pid


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.args = (storage, offset, tuple(size), tuple(stride), False, collections.OrderedDict())

    def __reduce__(self):
        return torch._utils._rebuild_tensor_v2, self.args


class Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        return obj.pid() if isinstance(obj, Storage) else None


def dumps(obj, protocol=2):
    buf = io.BytesIO()
    Pickler(buf, protocol=protocol).dump(obj)
    return buf.getvalue()


def zip_info(name, compression=zipfile.ZIP_STORED):
    """An entry with a fixed timestamp, so that every run writes the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = compression
    return info


def zip_bytes(entries, top="archive"):
    """A stored zip of (name, bytes) under top/ (or at the root when top is None), like torch.save's."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            z.writestr(zip_info(name if top is None else top + "/" + name), data)
    return buf.getvalue()


def ckpt_zip(data_pkl, storages=(), extra=()):
    return zip_bytes([("data.pkl", data_pkl), *extra, *storages, ("version", b"3\n")])


def floats(values):
    return struct.pack("<%df" % len(values), *values)


def legacy_bytes(data_pkl, keys, storages, sys_info=None, magic=LEGACY_MAGIC):
    """The legacy layout: magic, protocol, sys_info, data, key list, then count + bytes per key."""
    out = pickle.dumps(magic, 2) + pickle.dumps(1001, 2) + pickle.dumps(sys_info or SYS_INFO, 2)
    out += data_pkl + pickle.dumps(keys, 2)
    for count, raw in storages:
        out += struct.pack("<q", count) + raw
    return out


def write(folder, name, data):
    path = os.path.join(OUT, folder, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


# ---- valid ------------------------------------------------------------------------------------------

def valid_files():
    state = collections.OrderedDict()
    state["f16"] = torch.tensor([1.0, -2.5, 65504.0], dtype=torch.float16)
    state["bf16"] = torch.tensor([1.0, -2.5, 2.0 ** 100], dtype=torch.bfloat16)
    state["i32"] = torch.tensor([[-2147483648, 7], [0, 2147483647]], dtype=torch.int32)
    state["i16"] = torch.tensor([-32768, 32767], dtype=torch.int16)
    state["i8"] = torch.tensor([-128, 127], dtype=torch.int8)
    state["u8"] = torch.tensor([0, 255], dtype=torch.uint8)
    state["flag"] = torch.tensor([True, False, True])
    state["param"] = torch.nn.Parameter(torch.arange(6.0).reshape(2, 3))
    opts = argparse.Namespace(lr=0.5, device=torch.device("cuda", 0), size=torch.Size([2, 3]),
                              pair=(1, "x"), cpu=torch.device("cpu"))
    buf = io.BytesIO()
    torch.save({"state_dict": state, "opts": opts, "latent_avg": None}, buf, pickle_protocol=4)
    write("valid", "dtypes_namespace_protocol4.pt", buf.getvalue())

    # A legacy storage view ('v', 2, 6) of root storage 'r' [0..9]: the tensor sees r[3..6].
    root = Storage("r", 10, legacy=True)
    view = Storage("r", 10, view=("v", 2, 6), legacy=True)
    data = dumps({"state_dict": collections.OrderedDict(
        whole=Tensor(root, 0, [10], [1]), window=Tensor(view, 1, [2, 2], [2, 1]))})
    write("valid", "legacy_storage_view.pt",
          legacy_bytes(data, ["r"], [(10, floats(range(10)))]))

    # The same records as a small checkpoint, with Zip64 extra fields on every entry.
    small = small_checkpoint()
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            with dst.open(zip_info(info.filename), "w", force_zip64=True) as w:
                w.write(src.read(info))
    write("valid", "zip64.pt", buf.getvalue())


def small_checkpoint():
    """{'state_dict': {w: [[1,2],[3,4]] float32}, 'opts': {'n': 1}} as torch.save writes it."""
    buf = io.BytesIO()
    torch.save({"state_dict": collections.OrderedDict(w=torch.tensor([[1.0, 2.0], [3.0, 4.0]])),
                "opts": {"n": 1}}, buf)
    return buf.getvalue()


# ---- malformed --------------------------------------------------------------------------------------

def call(module, name, arg, stack_global=False):
    """A pickle that calls module.name(arg): GLOBAL (or STACK_GLOBAL) + args + REDUCE."""
    if stack_global:
        fn = short_unicode(module) + MEMOIZE + short_unicode(name) + MEMOIZE + STACK_GLOBAL
        return proto(4) + fn + short_unicode(arg) + TUPLE1 + REDUCE + STOP
    return proto(2) + global_(module, name) + unicode_(arg) + TUPLE1 + REDUCE + STOP


def patched(data, offset, fmt, value):
    out = bytearray(data)
    struct.pack_into(fmt, out, offset, value)
    return bytes(out)


def central_entry_offset(data, name):
    """The offset of the central-directory header of entry name."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        cd_start = z.start_dir
    pos = cd_start
    while True:
        n = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + n].decode() == name:
            return pos
        pos += 46 + n + sum(struct.unpack_from("<HH", data, pos + 30))


def malformed_files():
    payload = "echo pwned"
    write("malformed", "unsafe_os_system.pt", ckpt_zip(call("os", "system", payload)))
    write("malformed", "unsafe_builtins_eval_stack_global.pt",
          ckpt_zip(call("builtins", "eval", "1+1", stack_global=True)))
    write("malformed", "unsafe_posix_system_stack_global.pt",
          ckpt_zip(call("posix", "system", payload, stack_global=True)))
    write("malformed", "unsafe_builtin_getattr_legacy.pt", call("__builtin__", "getattr", "x"))
    write("malformed", "unsafe_load_from_bytes.pt",
          ckpt_zip(proto(2) + EMPTY_DICT + unicode_("state_dict")
                   + global_("torch.storage", "_load_from_bytes") + b"C\x01x" + TUPLE1 + REDUCE
                   + SETITEM + STOP))
    write("malformed", "unsafe_in_legacy_data.pt",
          legacy_bytes(call("os", "system", payload), [], []))

    small = small_checkpoint()
    with zipfile.ZipFile(io.BytesIO(small)) as z:
        cd_start = z.start_dir
        top = z.namelist()[0].split("/")[0]
    for percent in (10, 50, 99):
        write("malformed", "truncated_zip_%d_percent.pt" % percent, small[:len(small) * percent // 100])
    write("malformed", "truncated_zip_no_central_directory.pt", small[:cd_start])

    w = Storage("0", 4)
    legacy = legacy_bytes(dumps({"state_dict": collections.OrderedDict(w=Tensor(w, 0, [2, 2], [2, 1]))}),
                          ["0"], [(4, floats([1, 2, 3, 4]))])
    write("malformed", "truncated_legacy_in_pickle.pt", legacy[:60])
    write("malformed", "truncated_legacy_in_storage.pt", legacy[:-3])
    write("malformed", "legacy_huge_storage_count.pt", legacy[:-24] + struct.pack("<q", 1 << 62) + legacy[-16:])
    write("malformed", "legacy_bad_magic.pt", legacy_bytes(dumps({}), [], [], magic=42))
    write("malformed", "legacy_big_endian.pt",
          legacy_bytes(dumps({}), [], [], sys_info=dict(SYS_INFO, little_endian=False)))
    write("malformed", "legacy_unlisted_storage.pt", legacy_bytes(
        dumps({"state_dict": collections.OrderedDict(w=Tensor(w, 0, [4], [1]))}), [], []))

    def one_tensor(storage, offset, size, stride, data):
        pkl = dumps({"state_dict": collections.OrderedDict(w=Tensor(storage, offset, size, stride))})
        return ckpt_zip(pkl, [("data/" + storage.key, data)])

    write("malformed", "tensor_beyond_storage.pt", one_tensor(w, 0, [3, 2], [2, 1], floats([1, 2, 3, 4])))
    write("malformed", "tensor_offset_beyond_storage.pt", one_tensor(w, 3, [2], [1], floats([1, 2, 3, 4])))
    write("malformed", "tensor_negative_stride.pt", one_tensor(w, 3, [2], [-1], floats([1, 2, 3, 4])))
    write("malformed", "expanded_view_too_large.pt",
          one_tensor(Storage("0", 1), 0, [20_000_000], [0], floats([1])))
    write("malformed", "storage_entry_too_short.pt",
          one_tensor(Storage("0", 100), 0, [4], [1], floats([1, 2, 3, 4])))
    write("malformed", "storage_entry_missing.pt", ckpt_zip(
        dumps({"state_dict": collections.OrderedDict(w=Tensor(w, 0, [4], [1]))})))
    write("malformed", "storage_numel_huge.pt", one_tensor(Storage("0", 1 << 40), 0, [4], [1], floats([1] * 4)))
    write("malformed", "storage_complex_dtype.pt",
          one_tensor(Storage("0", 4, storage_type=torch.ComplexFloatStorage), 0, [4], [1], floats([1] * 8)))
    write("malformed", "storage_key_not_a_string.pt", ckpt_zip(
        proto(2) + MARK + unicode_("storage") + global_("torch", "FloatStorage") + binint(0) + unicode_("cpu")
        + binint(4) + TUPLE + BINPERSID + STOP))

    rng = random.Random(7)
    write("malformed", "garbage.pt", b"GARBAGE!" + bytes(rng.randrange(256) for _ in range(4096)))
    write("malformed", "garbage_after_proto.pt", proto(2) + bytes(rng.randrange(256) for _ in range(64)))
    write("malformed", "empty.pt", b"")
    write("malformed", "zip_without_data_pkl.pt",
          zip_bytes([("constants.pkl", pickle.dumps((), 2)), ("version", b"3\n")]))
    write("malformed", "zip_two_data_pkl.pt", two_data_pkl())
    write("malformed", "zip_big_endian.pt", ckpt_zip(pickle.dumps({}, 2), extra=[("byteorder", b"big")]))

    write("malformed", "huge_string_length.pt",
          ckpt_zip(proto(2) + b"X" + struct.pack("<I", 0xFFFFFFF0) + b"abc" + STOP))
    write("malformed", "huge_long4_length.pt", ckpt_zip(proto(2) + b"\x8b" + struct.pack("<i", -5) + STOP))
    # torch always adds a Zip64 end record, whose sizes take precedence; Python's zipfile does not.
    zip64_end = small.rindex(b"PK\x06\x06")
    write("malformed", "huge_central_directory_size.pt", patched(small, zip64_end + 40, "<Q", 1 << 40))
    plain = zip_bytes([("data.pkl", pickle.dumps({}, 2))])
    write("malformed", "huge_central_directory_size_zip32.pt",
          patched(plain, plain.rindex(b"PK\x05\x06") + 12, "<I", 0xFFFFFFF0))
    entry = central_entry_offset(small, top + "/data/0")
    write("malformed", "huge_entry_size.pt",
          patched(patched(small, entry + 20, "<I", 0x7FFFFFF0), entry + 24, "<I", 0x7FFFFFF0))
    write("malformed", "huge_local_header_offset.pt", patched(small, entry + 42, "<I", 0xFFFFFF00))
    deflated = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small)) as src, zipfile.ZipFile(deflated, "w") as dst:
        for info in src.infolist():
            dst.writestr(zip_info(info.filename, zipfile.ZIP_DEFLATED), src.read(info))
    deflated = deflated.getvalue()
    entry = central_entry_offset(deflated, top + "/data/0")
    write("malformed", "deflate_impossible_ratio.pt", patched(deflated, entry + 24, "<I", 0x7FFFFFF0))
    # A deflated storage of 4 floats whose entry and pickle both claim 100: it inflates short.
    short = io.BytesIO()
    with zipfile.ZipFile(short, "w") as z:
        pkl = dumps({"state_dict": collections.OrderedDict(w=Tensor(Storage("0", 100), 0, [100], [1]))})
        z.writestr(zip_info("archive/data.pkl"), pkl)
        z.writestr(zip_info("archive/data/0", zipfile.ZIP_DEFLATED), floats([1, 2, 3, 4]))
    short = short.getvalue()
    write("malformed", "deflate_shorter_than_claimed.pt",
          patched(short, central_entry_offset(short, "archive/data/0") + 24, "<I", 400))

    write("malformed", "root_is_a_list.pt", ckpt_zip(pickle.dumps([1, 2, 3], 2)))
    write("malformed", "root_without_state_dict.pt", ckpt_zip(pickle.dumps({"a": 1}, 2)))
    write("malformed", "state_dict_value_not_tensor.pt", ckpt_zip(pickle.dumps({"state_dict": {"w": 3}}, 2)))
    write("malformed", "state_dict_is_a_string.pt", ckpt_zip(pickle.dumps({"state_dict": "w"}, 2)))
    write("malformed", "opts_not_a_dict.pt", ckpt_zip(pickle.dumps({"state_dict": {}, "opts": [1, 2]}, 2)))
    write("malformed", "latent_avg_not_a_tensor.pt",
          ckpt_zip(pickle.dumps({"state_dict": {}, "latent_avg": "abc"}, 2)))
    # 20000 nested lists: fine to read (iteratively), but not a checkpoint.
    depth = 20000
    write("malformed", "deeply_nested_lists.pt", ckpt_zip(proto(2) + EMPTY_LIST * depth + APPEND * (depth - 1)
                                                             + STOP))
    write("malformed", "unhashable_key.pt",
          ckpt_zip(proto(2) + EMPTY_DICT + EMPTY_LIST + binint(1) + SETITEM + STOP))
    # Key T40 where T0 = (1,) and Tn = (Tn-1, Tn-1): 2^40 values if walked naively.
    key = binint(1) + TUPLE1 + b"q\x000" + b"".join(  # BINPUT then POP: build each level in the memo
        b"h" + bytes([i - 1]) + b"h" + bytes([i - 1]) + b"\x86" + b"q" + bytes([i]) + b"0" for i in range(1, 41))
    key += b"h" + bytes([40])
    write("malformed", "exponential_tuple_key.pt", ckpt_zip(proto(2) + EMPTY_DICT + key + binint(0) + SETITEM + STOP))
    write("malformed", "memo_get_missing.pt", ckpt_zip(proto(2) + b"h\x05" + STOP))
    write("malformed", "stack_underflow.pt", ckpt_zip(proto(2) + REDUCE + STOP))
    write("malformed", "mark_missing.pt", ckpt_zip(proto(2) + binint(1) + TUPLE + STOP))
    write("malformed", "pickle_protocol_6.pt", ckpt_zip(proto(6) + b"N" + STOP))
    write("malformed", "pickle_without_stop.pt", ckpt_zip(proto(2) + b"N"))
    write("malformed", "class_as_value.pt", ckpt_zip(proto(2) + global_("collections", "OrderedDict") + STOP))
    # {'opts': {'x': [1, 2]}, 'bad': <the OrderedDict class>}: opts resolve, the root does not.
    write("malformed", "class_inside_dict.pt", ckpt_zip(
        proto(2) + EMPTY_DICT + unicode_("opts") + EMPTY_DICT + unicode_("x") + EMPTY_LIST + binint(1) + APPEND
        + binint(2) + APPEND + SETITEM + SETITEM + unicode_("bad") + global_("collections", "OrderedDict")
        + SETITEM + STOP))
    write("malformed", "reduce_of_storage_class.pt",
          ckpt_zip(proto(2) + global_("torch", "FloatStorage") + MARK + TUPLE + REDUCE + STOP))


def two_data_pkl():
    return zip_bytes([("a/data.pkl", pickle.dumps({}, 2)), ("b/data.pkl", pickle.dumps({}, 2))], top=None)


if __name__ == "__main__":
    valid_files()
    malformed_files()
    print("wrote", OUT)
