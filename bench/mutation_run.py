#!/usr/bin/python3
"""Mutation robustness run for `compresslab-cli inspect`.

Builds N deterministic mutants of the demo-zoo TorchScript files (ZIP archives)
and runs `compresslab-cli inspect --json MUTANT` on each, in parallel, with a
per-run timeout.  Every run is classified as

  ok        exit 0: the mutant loaded (the mutation was harmless)
  refused   exit 2 with a reason on stderr (grouped into normalised categories)
  helper    exit 2 where the reason says the isolated helper process
            crashed / ran out of memory / time (the parent survived)
  crash     any other exit status (killed by a signal, abort, exit 1, ...):
            the mutant is saved to --out for reproduction
  hang      still running after --timeout seconds (killed; mutant saved)

At the end it checks that the zoo files' SHA-256 are unchanged, prints a
summary and optionally writes a JSON report.  Exit status: 0 when there was no
crash, no hang and the zoo files are unchanged; 1 otherwise; 3 on set-up errors.

Standard library only.  The CLI binary (and any non-system shared library it
uses, e.g. build/lib/*.so) is COPIED to a temporary directory first, so a
concurrent rebuild of the original does not disturb the run.

Usage:
  /usr/bin/python3 bench/mutation_run.py [--cli build/bin/compresslab-cli]
      [--count 1200] [--seed 1] [--jobs 2] [--timeout 120]
      [--report FILE.json] [--out DIR] [--kinds k1,k2] [--models m1,m2]
      [--mem-limit-mb 6144] [--keep-all] [--list-kinds]
"""

import argparse
import concurrent.futures
import datetime
import hashlib
import json
import os
import pickle
import pickletools
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

MODELS = ["fashion-cnn", "brown-gpt", "spam-transformer"]
ZOO = os.path.expanduser("~/.cache/compresslab/zoo")

SIG_LOCAL = b"PK\x03\x04"
SIG_CENTRAL = b"PK\x01\x02"
SIG_EOCD = b"PK\x05\x06"
SIG_Z64_EOCD = b"PK\x06\x06"
SIG_Z64_LOC = b"PK\x06\x07"
SIG_DD = b"PK\x07\x08"

# --------------------------------------------------------------------------
# ZIP layout parsing (manual, so every header byte range is known)
# --------------------------------------------------------------------------


class ZEntry:
    __slots__ = ("name", "flags", "method", "crc", "csize", "usize", "lh_off",
                 "lh_len", "data_off", "dd_off", "dd_len", "cd_off", "cd_len",
                 "ver_made", "ver_need", "mtime", "mdate")

    def raw(self, data):
        return bytes(data[self.data_off:self.data_off + self.csize])


class Layout:
    """Byte layout of a ZIP archive: entries, central directory, end records."""

    def __init__(self, data):
        self.size = len(data)
        start = max(0, len(data) - 65557)
        self.eocd_off = data.rfind(SIG_EOCD, start)
        if self.eocd_off < 0:
            raise ValueError("no end record")
        (_, _, _, _, n_total, cd_size, cd_off, clen) = struct.unpack_from(
            "<IHHHHIIH", data, self.eocd_off)
        self.eocd_len = 22 + clen
        self.z64_loc_off = -1
        self.z64_eocd_off = -1
        self.z64_eocd_len = 0
        lo = self.eocd_off - 20
        if lo >= 0 and data[lo:lo + 4] == SIG_Z64_LOC:
            self.z64_loc_off = lo
            (z64off,) = struct.unpack_from("<Q", data, lo + 8)
            if data[z64off:z64off + 4] == SIG_Z64_EOCD:
                self.z64_eocd_off = z64off
                (rec_size,) = struct.unpack_from("<Q", data, z64off + 4)
                self.z64_eocd_len = 12 + rec_size
                (n_total, cd_size, cd_off) = struct.unpack_from("<QQQ", data, z64off + 32)
        self.cd_start = cd_off
        self.cd_size = cd_size
        self.entries = []
        pos = cd_off
        for _ in range(n_total):
            if data[pos:pos + 4] != SIG_CENTRAL:
                raise ValueError("bad central directory entry at %d" % pos)
            (_, vmade, vneed, flags, method, mtime, mdate, crc, csize, usize,
             nlen, elen, clen2, _, _, _, lh_off) = struct.unpack_from(
                 "<IHHHHHHIIIHHHHHII", data, pos)
            e = ZEntry()
            e.name = bytes(data[pos + 46:pos + 46 + nlen])
            extra = data[pos + 46 + nlen:pos + 46 + nlen + elen]
            if 0xFFFFFFFF in (csize, usize, lh_off):
                i = 0
                while i + 4 <= len(extra):
                    hid, hlen = struct.unpack_from("<HH", extra, i)
                    if hid == 1:
                        vals = list(struct.unpack_from("<%dQ" % (hlen // 8), extra, i + 4))
                        if usize == 0xFFFFFFFF:
                            usize = vals.pop(0)
                        if csize == 0xFFFFFFFF:
                            csize = vals.pop(0)
                        if lh_off == 0xFFFFFFFF:
                            lh_off = vals.pop(0)
                        break
                    i += 4 + hlen
            e.ver_made, e.ver_need, e.flags, e.method = vmade, vneed, flags, method
            e.mtime, e.mdate = mtime, mdate
            e.crc, e.csize, e.usize, e.lh_off = crc, csize, usize, lh_off
            e.cd_off, e.cd_len = pos, 46 + nlen + elen + clen2
            (lnlen, lelen) = struct.unpack_from("<HH", data, lh_off + 26)
            e.lh_len = 30 + lnlen + lelen
            e.data_off = lh_off + e.lh_len
            e.dd_off = e.data_off + csize
            e.dd_len = 0
            if flags & 8:
                e.dd_len = 16 if data[e.dd_off:e.dd_off + 4] == SIG_DD else 12
            self.entries.append(e)
            pos += e.cd_len
        # data-descriptor length: trust the gap up to the next local header
        offs = sorted(x.lh_off for x in self.entries) + [self.cd_start]
        for e in self.entries:
            if e.flags & 8:
                nxt = min(o for o in offs if o > e.lh_off) if any(o > e.lh_off for o in offs) else self.cd_start
                gap = nxt - e.dd_off
                if gap in (12, 16, 20, 24):
                    e.dd_len = gap

    def by_suffix(self, suffix):
        for e in self.entries:
            if e.name.endswith(suffix):
                return e
        return None


# --------------------------------------------------------------------------
# ZIP writer (used by the "rewrite the archive" mutations)
# --------------------------------------------------------------------------


class WEntry:
    """One entry to write: name (bytes), method, raw (compressed bytes),
    crc, usize; declared_* override what the headers say (lying headers)."""

    def __init__(self, name, method, raw, crc, usize):
        self.name, self.method, self.raw, self.crc, self.usize = name, method, raw, crc, usize
        self.declared_usize = None
        self.declared_csize = None
        self.size_len = None  # for bomb streams given as (chunk, repeat, tail)

    def csize(self):
        if self.declared_csize is not None:
            return self.declared_csize
        return self.raw_len()

    def raw_len(self):
        if isinstance(self.raw, tuple):
            head, rep, tail = self.raw
            return len(head) * rep + len(tail)
        return len(self.raw)

    def dusize(self):
        return self.usize if self.declared_usize is None else self.declared_usize


def wentries_from(data, layout):
    out = []
    for e in layout.entries:
        out.append(WEntry(e.name, e.method, e.raw(data), e.crc, e.usize))
    return out


def deflate(b):
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(b) + c.flush()


def stored_or_deflated(name, payload, method):
    raw = deflate(payload) if method == 8 else payload
    w = WEntry(name, method, raw, zlib.crc32(payload) & 0xFFFFFFFF, len(payload))
    return w


def write_zip(f, wentries, align=64, prefix=b""):
    """Writes a PyTorch-like archive (64-byte aligned data, zip64 end records)."""
    f.write(prefix)
    pos = len(prefix)
    central = []
    for w in wentries:
        cs, us = w.csize(), w.dusize()
        z64 = cs >= 0xFFFFFFFF or us >= 0xFFFFFFFF
        lh_off = pos
        extra = b""
        if z64:
            extra = struct.pack("<HHQQ", 1, 16, us, cs)
        base = pos + 30 + len(w.name) + len(extra)
        if align:
            pad = (-(base + 4)) % align
            extra += struct.pack("<HH", 0x4246, pad) + b"Z" * pad  # "FB" padding
        vneed = 45 if z64 else 20
        hdr = struct.pack("<4sHHHHHIIIHH", SIG_LOCAL, vneed, 0x800, w.method, 0, 0x21,
                          w.crc, 0xFFFFFFFF if z64 else cs, 0xFFFFFFFF if z64 else us,
                          len(w.name), len(extra))
        f.write(hdr + w.name + extra)
        pos += len(hdr) + len(w.name) + len(extra)
        if isinstance(w.raw, tuple):
            head, rep, tail = w.raw
            for _ in range(rep):
                f.write(head)
            f.write(tail)
        else:
            f.write(w.raw)
        pos += w.raw_len()
        central.append((w, lh_off, z64))
    cd_start = pos
    for w, lh_off, z64 in central:
        cs, us = w.csize(), w.dusize()
        big_off = lh_off >= 0xFFFFFFFF
        extra = b""
        if z64 or big_off:
            vals = []
            if z64:
                vals += [us, cs]
            if big_off:
                vals.append(lh_off)
            extra = struct.pack("<HH", 1, 8 * len(vals)) + struct.pack("<%dQ" % len(vals), *vals)
        rec = struct.pack("<4sHHHHHHIIIHHHHHII", SIG_CENTRAL, 0x031E, 45 if (z64 or big_off) else 20,
                          0x800, w.method, 0, 0x21, w.crc,
                          0xFFFFFFFF if z64 else cs, 0xFFFFFFFF if z64 else us,
                          len(w.name), len(extra), 0, 0, 0, 0,
                          0xFFFFFFFF if big_off else lh_off)
        f.write(rec + w.name + extra)
        pos += len(rec) + len(w.name) + len(extra)
    cd_size = pos - cd_start
    n = len(wentries)
    z64_off = pos
    f.write(struct.pack("<4sQHHIIQQQQ", SIG_Z64_EOCD, 44, 0x031E, 45, 0, 0, n, n, cd_size, cd_start))
    f.write(struct.pack("<4sIQI", SIG_Z64_LOC, 0, z64_off, 1))
    f.write(struct.pack("<4sHHHHIIH", SIG_EOCD, 0, 0, min(n, 0xFFFF), min(n, 0xFFFF),
                        min(cd_size, 0xFFFFFFFF), min(cd_start, 0xFFFFFFFF), 0))


# --------------------------------------------------------------------------
# Zip-bomb streams (computed once, cached)
# --------------------------------------------------------------------------

_BOMBS = {}
_BOMB_LOCK = threading.Lock()


def bomb_stream(byte, mib):
    """A deflate stream of `mib` MiB of `byte`, as (block, repeat, tail), crc."""
    key = (byte, mib)
    with _BOMB_LOCK:
        if key not in _BOMBS:
            chunk = bytes([byte]) * (1 << 20)
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
            c2 = zlib.compressobj(9, zlib.DEFLATED, -15)
            again = c2.compress(chunk) + c2.flush(zlib.Z_FULL_FLUSH)
            assert block == again
            tail = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
            crc = 0
            for _ in range(mib):
                crc = zlib.crc32(chunk, crc)
            _BOMBS[key] = ((block, mib, tail), crc & 0xFFFFFFFF, mib << 20)
        return _BOMBS[key]


# --------------------------------------------------------------------------
# Mutation context and helpers
# --------------------------------------------------------------------------


class Ctx:
    def __init__(self, model, path):
        self.model = model
        self.path = path
        with open(path, "rb") as f:
            self.data = f.read()
        self.lay = Layout(self.data)
        es = self.lay.entries
        self.pkl = self.lay.by_suffix(b"/data.pkl")
        self.const = self.lay.by_suffix(b"/constants.pkl")
        self.code_py = [e for e in es if b"/code/" in e.name and e.name.endswith(b".py")]
        self.code_dbg = [e for e in es if b"/code/" in e.name and e.name.endswith(b".debug_pkl")]
        self.tensors = [e for e in es if re.search(rb"/data/\d+$", e.name)]
        self.version = self.lay.by_suffix(b"version")
        self.extra = self.lay.by_suffix(b"/extra/compresslab.json")
        self.prefix = es[0].name.split(b"/")[0] + b"/"
        main_mod = [e for e in self.code_py if b"/torch/" not in e.name]
        self.main_code = main_mod[0] if main_mod else self.code_py[0]

    def name_of(self, e):
        return e.name.decode("utf-8", "replace")


def xor_flip(buf, pos, rng):
    buf[pos] ^= rng.randrange(1, 256)


def flip_range(buf, lo, hi, rng, nflips):
    hi = min(hi, len(buf))
    if hi <= lo:
        return []
    done = []
    for _ in range(nflips):
        p = rng.randrange(lo, hi)
        xor_flip(buf, p, rng)
        done.append(p)
    return sorted(done)


def patch_crc(buf, ctx, e, new_payload_for_crc, new_usize=None):
    """Rewrites the CRC (and optionally the uncompressed size) of entry e in
    its central-directory record and data descriptor."""
    crc = zlib.crc32(new_payload_for_crc) & 0xFFFFFFFF
    struct.pack_into("<I", buf, e.cd_off + 16, crc)
    if new_usize is not None and new_usize < 0xFFFFFFFF and e.usize < 0xFFFFFFFF:
        struct.pack_into("<I", buf, e.cd_off + 24, new_usize)
    if e.dd_len:
        off = e.dd_off + (4 if e.dd_len in (16, 24) else 0)
        struct.pack_into("<I", buf, off, crc)
        if new_usize is not None and e.dd_len in (12, 16):
            struct.pack_into("<I", buf, off + 8, new_usize)
    if not (e.flags & 8):
        struct.pack_into("<I", buf, e.lh_off + 14, crc)


def serialize(ctx, wentries, prefix=b""):
    import io
    bio = io.BytesIO()
    write_zip(bio, wentries, prefix=prefix)
    return bio.getvalue()


def find_w(ws, suffix):
    for i, w in enumerate(ws):
        if w.name.endswith(suffix):
            return i
    return -1


def replace_payload(ws, idx, payload, method=None):
    w = ws[idx]
    m = w.method if method is None else method
    ws[idx] = stored_or_deflated(w.name, payload, m)


def read_payload(ctx, e):
    raw = e.raw(ctx.data)
    if e.method == 8:
        return zlib.decompressobj(-15).decompress(raw)
    return raw


HUGE_VALUES32 = [0xFFFFFFFF, 0xFFFFFFFE, 0x7FFFFFFF, 0x80000000, 0xF0000000, 0x40000000]


def huge32(rng, cur, filesize):
    choices = HUGE_VALUES32 + [cur * 1000 + 1, cur + 1, filesize + 1, max(0, cur - 1), 0]
    v = rng.choice(choices)
    return min(v, 0xFFFFFFFF)


# --------------------------------------------------------------------------
# Mutation kinds.  Each returns (bytes_or_writer, detail string).  A writer is
# a callable f(fileobj) for mutants too large to build in memory (bombs).
# --------------------------------------------------------------------------


def m_flip_random(ctx, rng, v):
    buf = bytearray(ctx.data)
    n = rng.choice([1, 1, 2, 4, 8, 16, 64])
    pos = flip_range(buf, 0, len(buf), rng, n)
    return bytes(buf), "%d random byte flips (first at %d)" % (n, pos[0])


def m_flip_local_header(ctx, rng, v):
    buf = bytearray(ctx.data)
    e = rng.choice(ctx.lay.entries if v % 2 else [ctx.pkl, ctx.const, ctx.main_code] + ctx.tensors[:2])
    n = rng.choice([1, 1, 2, 4])
    # v selects the field area: whole header / signature+sizes / name / extra
    areas = [(0, e.lh_len), (0, 30), (30, 30 + len(e.name)), (30 + len(e.name), e.lh_len)]
    lo, hi = areas[(v // 2) % len(areas)]
    if hi <= lo:
        lo, hi = 0, e.lh_len
    flip_range(buf, e.lh_off + lo, e.lh_off + hi, rng, n)
    return bytes(buf), "%d flips in local header of %s (bytes %d..%d)" % (n, ctx.name_of(e), lo, hi)


def m_flip_central_dir(ctx, rng, v):
    buf = bytearray(ctx.data)
    n = rng.choice([1, 1, 2, 4])
    if v % 3 == 2:
        flip_range(buf, ctx.lay.cd_start, ctx.lay.cd_start + ctx.lay.cd_size, rng, n)
        return bytes(buf), "%d flips anywhere in the central directory" % n
    e = rng.choice(ctx.lay.entries)
    lo, hi = ((0, 46) if v % 3 == 0 else (46, e.cd_len))
    flip_range(buf, e.cd_off + lo, e.cd_off + hi, rng, n)
    return bytes(buf), "%d flips in central record of %s (bytes %d..%d)" % (n, ctx.name_of(e), lo, hi)


def m_flip_end_records(ctx, rng, v):
    buf = bytearray(ctx.data)
    n = rng.choice([1, 1, 2, 3])
    lay = ctx.lay
    areas = [("end record", lay.eocd_off, lay.eocd_off + lay.eocd_len)]
    if lay.z64_eocd_off >= 0:
        areas.append(("zip64 end record", lay.z64_eocd_off, lay.z64_eocd_off + lay.z64_eocd_len))
    if lay.z64_loc_off >= 0:
        areas.append(("zip64 locator", lay.z64_loc_off, lay.z64_loc_off + 20))
    name, lo, hi = areas[v % len(areas)]
    flip_range(buf, lo, hi, rng, n)
    return bytes(buf), "%d flips in the %s" % (n, name)


def _flip_entry_data(ctx, rng, v, e, label):
    buf = bytearray(ctx.data)
    n = rng.choice([1, 1, 2, 4, 8])
    if e.csize == 0:
        return bytes(buf), "%s is empty (no flip)" % ctx.name_of(e)
    flip_range(buf, e.data_off, e.data_off + e.csize, rng, n)
    fixed = ""
    if v % 2 == 1:  # make the CRC match so the flip reaches the parser
        raw = bytes(buf[e.data_off:e.data_off + e.csize])
        if e.method == 8:
            try:
                d = zlib.decompressobj(-15)
                payload = d.decompress(raw, 64 << 20)
                patch_crc(buf, ctx, e, payload, len(payload))
                fixed = ", CRC fixed"
            except zlib.error:
                fixed = ", stream undecodable"
        else:
            patch_crc(buf, ctx, e, raw)
            fixed = ", CRC fixed"
    return bytes(buf), "%d flips in %s %s%s" % (n, label, ctx.name_of(e), fixed)


def m_flip_pickle(ctx, rng, v):
    choices = [ctx.pkl, ctx.pkl, ctx.pkl, ctx.const] + ctx.code_dbg[:1]
    e = choices[(v // 2) % len(choices)]
    return _flip_entry_data(ctx, rng, v, e, "pickle")


def m_flip_code_deflate(ctx, rng, v):
    pool = ctx.code_py if (v // 2) % 4 else ctx.code_dbg
    e = rng.choice(pool)
    return _flip_entry_data(ctx, rng, v, e, "deflate stream")


def m_flip_tensor_data(ctx, rng, v):
    e = rng.choice(ctx.tensors)
    return _flip_entry_data(ctx, rng, v, e, "tensor data")


def m_truncate(ctx, rng, v):
    size = len(ctx.data)
    lay = ctx.lay
    mode = v % 6
    if mode == 0:
        off = rng.randrange(0, size)
        what = "random"
    elif mode == 1:
        off = rng.randrange(max(0, size - 200), size)
        what = "in the end records"
    elif mode == 2:
        off = rng.randrange(lay.cd_start, lay.cd_start + lay.cd_size)
        what = "in the central directory"
    elif mode == 3:
        e = rng.choice(lay.entries)
        off = e.lh_off + rng.randrange(0, e.lh_len + min(e.csize, 64) + 1)
        what = "at/near the local header of %s" % ctx.name_of(e)
    elif mode == 4:
        off = rng.choice([0, 1, 4, 22, 29, 30, 64, 100, size - 1, size - 22, size - 23, size - 42])
        what = "at a boundary"
    else:
        e = rng.choice([ctx.pkl] + ctx.tensors[-3:])
        off = e.data_off + rng.randrange(0, max(1, e.csize))
        what = "inside %s" % ctx.name_of(e)
    off = max(0, min(off, size - 1))
    return ctx.data[:off], "truncated to %d of %d bytes (%s)" % (off, size, what)


def m_huge_size_central(ctx, rng, v):
    buf = bytearray(ctx.data)
    targets = [ctx.pkl, ctx.const, ctx.main_code, ctx.tensors[0], ctx.tensors[-1], ctx.version]
    e = targets[v % len(targets)] if v % 3 else rng.choice(ctx.lay.entries)
    field = [("uncompressed", 24), ("compressed", 20), ("both", None)][(v // 2) % 3]
    if field[1] is None:
        a = huge32(rng, e.usize, len(buf))
        struct.pack_into("<II", buf, e.cd_off + 20, a, a)
        vals = "%d" % a
    else:
        a = huge32(rng, e.usize if field[1] == 24 else e.csize, len(buf))
        struct.pack_into("<I", buf, e.cd_off + field[1], a)
        vals = "%d" % a
    return bytes(buf), "central record of %s: %s size := %s" % (ctx.name_of(e), field[0], vals)


def m_huge_size_local(ctx, rng, v):
    buf = bytearray(ctx.data)
    e = rng.choice([ctx.pkl, ctx.const, ctx.main_code, ctx.tensors[0]] + ctx.lay.entries[:3])
    mode = v % 4
    a = huge32(rng, e.usize, len(buf))
    if mode == 0:
        struct.pack_into("<II", buf, e.lh_off + 18, a, a)
        what = "local header sizes := %d" % a
    elif mode == 1:
        struct.pack_into("<II", buf, e.lh_off + 18, a, a)
        struct.pack_into("<H", buf, e.lh_off + 6, e.flags & ~8)  # no data descriptor
        what = "local header sizes := %d, data-descriptor flag cleared" % a
    elif mode == 2 and e.dd_len:
        off = e.dd_off + (4 if e.dd_len in (16, 24) else 0)
        struct.pack_into("<II", buf, off + 4, a, a)
        what = "data descriptor sizes := %d" % a
    else:
        nl = rng.choice([0xFFFF, 0xFFF0, len(e.name) + 1, 0])
        el = rng.choice([0xFFFF, 0x8000, 0])
        struct.pack_into("<HH", buf, e.lh_off + 26, nl, el)
        what = "local header name/extra lengths := %d/%d" % (nl, el)
    return bytes(buf), "%s: %s" % (ctx.name_of(e), what)


def m_header_field_edit(ctx, rng, v):
    buf = bytearray(ctx.data)
    lay = ctx.lay
    e = rng.choice([ctx.pkl, ctx.const, ctx.main_code, ctx.tensors[0], rng.choice(lay.entries)])
    mode = v % 10
    if mode == 0:
        val = rng.choice([0xFFFFFFFE, len(buf) - 10, e.lh_off + 1, lay.entries[-1].lh_off, 0x7FFFFFFF])
        struct.pack_into("<I", buf, e.cd_off + 42, val)
        what = "%s: local header offset := %d" % (ctx.name_of(e), val)
    elif mode == 1:
        val = rng.choice([0, 8, 12, 14, 93, 99, 0xFFFF])
        if val == e.method:
            val = 8 if e.method == 0 else 0
        struct.pack_into("<H", buf, e.cd_off + 10, val)
        if rng.random() < 0.5:
            struct.pack_into("<H", buf, e.lh_off + 8, val)
        what = "%s: compression method %d := %d" % (ctx.name_of(e), e.method, val)
    elif mode == 2:
        val = e.flags | rng.choice([1, 0x40, 0x2000, 1 | 0x40])
        struct.pack_into("<H", buf, e.cd_off + 8, val)
        struct.pack_into("<H", buf, e.lh_off + 6, val)
        what = "%s: flags := 0x%x (encrypted/strong encryption)" % (ctx.name_of(e), val)
    elif mode == 3:
        nl = rng.choice([0xFFFF, len(e.name) + 1, max(0, len(e.name) - 1), 0])
        el = rng.choice([0, 0xFFFF, 4])
        cl = rng.choice([0, 0xFFFF, 10])
        struct.pack_into("<HHH", buf, e.cd_off + 28, nl, el, cl)
        what = "%s: central name/extra/comment lengths := %d/%d/%d" % (ctx.name_of(e), nl, el, cl)
    elif mode == 4:
        n = len(lay.entries)
        val = rng.choice([0, 1, n - 1, n + 1, 0xFFFF])
        struct.pack_into("<HH", buf, lay.eocd_off + 8, val, val)
        if lay.z64_eocd_off >= 0 and rng.random() < 0.7:
            struct.pack_into("<QQ", buf, lay.z64_eocd_off + 24, val, val)
        what = "entry count := %d" % val
    elif mode == 5:
        which = rng.choice(["size", "offset"])
        val = rng.choice([0, 1, 0xFFFFFFFE, lay.cd_start + 1, lay.cd_start - 1, len(buf)])
        if lay.z64_eocd_off >= 0 and rng.random() < 0.7:
            struct.pack_into("<Q", buf, lay.z64_eocd_off + (40 if which == "size" else 48),
                             rng.choice([val, 1 << 62, (1 << 64) - 1]))
            what = "zip64 end record: central directory %s changed" % which
        else:
            struct.pack_into("<I", buf, lay.eocd_off + (12 if which == "size" else 16), val)
            what = "end record: central directory %s := %d" % (which, val)
    elif mode == 6 and lay.z64_loc_off >= 0:
        val = rng.choice([0, 1 << 40, (1 << 64) - 1, len(buf) - 5, lay.z64_eocd_off + 1])
        struct.pack_into("<Q", buf, lay.z64_loc_off + 8, val)
        what = "zip64 locator: end record offset := %d" % val
    elif mode == 7:
        struct.pack_into("<H", buf, e.cd_off + 6, rng.choice([0xFFFF, 63, 0x0333]))
        struct.pack_into("<H", buf, e.lh_off + 4, rng.choice([0xFFFF, 63, 0x0333]))
        what = "%s: version needed := odd value" % ctx.name_of(e)
    elif mode == 8:
        # point two central records at the same local header (overlapping entries)
        other = rng.choice(lay.entries)
        struct.pack_into("<I", buf, e.cd_off + 42, other.lh_off)
        what = "%s: local header offset := that of %s" % (ctx.name_of(e), ctx.name_of(other))
    else:
        s = rng.choice([e.cd_off, e.lh_off])
        buf[s:s + 4] = b"PK\x00\x00"
        what = "%s: header signature broken" % ctx.name_of(e)
    return bytes(buf), what


RENAMES = [
    ("dotdot", lambda n, p: b"../" + n),
    ("dotdot-inner", lambda n, p: p + b"../../../../tmp/compresslab-evil"),
    ("absolute", lambda n, p: b"/" + n),
    ("absolute-etc", lambda n, p: b"/etc/passwd"),
    ("other-prefix", lambda n, p: b"other.pt/" + n[len(p):]),
    ("directory", lambda n, p: n + b"/"),
    ("long", lambda n, p: p + b"A" * 65000),
    ("empty", lambda n, p: b""),
    ("nul", lambda n, p: n[:len(p)] + b"x\x00" + n[len(p):]),
    ("backslash", lambda n, p: n.replace(b"/", b"\\")),
    ("case", lambda n, p: n.upper()),
    ("invalid-utf8", lambda n, p: n + b"\xff\xfe"),
]


def m_rename_entry(ctx, rng, v):
    ws = wentries_from(ctx.data, ctx.lay)
    targets = [b"/data.pkl", b"/constants.pkl", ctx.main_code.name, b"/data/0",
               ctx.lay.entries[0].name, ctx.version.name]
    suf = rng.choice(targets)
    label, fn = RENAMES[v % len(RENAMES)]
    idx = find_w(ws, suf)
    old = ws[idx].name
    ws[idx].name = fn(old, ctx.prefix)
    return serialize(ctx, ws), "rename %s -> %s (%s)" % (
        old.decode(errors="replace"), ws[idx].name[:80].decode(errors="replace"), label)


def m_delete_entry(ctx, rng, v):
    ws = wentries_from(ctx.data, ctx.lay)
    opts = [b"/constants.pkl", b"/data.pkl", ctx.main_code.name, None, b"/data/0",
            ctx.tensors[-1].name, ctx.version.name, b"/extra/compresslab.json",
            ctx.code_dbg[0].name, "random"]
    suf = opts[v % len(opts)]
    if suf is None:  # a random code file
        suf = rng.choice(ctx.code_py).name
    if suf == "random":
        suf = rng.choice(ws).name
    idx = find_w(ws, suf)
    name = ws[idx].name
    del ws[idx]
    return serialize(ctx, ws), "deleted %s" % name.decode(errors="replace")


def m_duplicate_entry(ctx, rng, v):
    ws = wentries_from(ctx.data, ctx.lay)
    opts = [b"/data.pkl", b"/constants.pkl", ctx.main_code.name, b"/data/0", ctx.version.name,
            ctx.lay.entries[0].name]
    suf = opts[v % len(opts)]
    idx = find_w(ws, suf)
    mode = (v // len(opts)) % 3
    w = ws[idx]
    if mode == 0:
        dup = WEntry(w.name, w.method, w.raw, w.crc, w.usize)
        what = "identical copy"
    elif mode == 1:
        junk = bytes(rng.randrange(256) for _ in range(rng.choice([0, 7, 300])))
        dup = stored_or_deflated(w.name, junk, w.method)
        what = "garbage copy"
    else:
        other = rng.choice(ws)
        dup = WEntry(w.name, other.method, other.raw, other.crc, other.usize)
        what = "copy holding %s" % other.name.decode(errors="replace")
    pos = rng.choice(["before", "after", "end"])
    if pos == "before":
        ws.insert(idx, dup)
    elif pos == "after":
        ws.insert(idx + 1, dup)
    else:
        ws.append(dup)
    return serialize(ctx, ws), "duplicate %s (%s, %s)" % (w.name.decode(errors="replace"), what, pos)


def m_swap_entries(ctx, rng, v):
    ws = wentries_from(ctx.data, ctx.lay)
    mode = v % 5
    names = [w.name for w in ws]
    if mode == 0:
        ts = [t for t in ctx.tensors]
        a, b = rng.sample(ts, 2)
        while a.usize == b.usize and rng.random() < 0.9:
            a, b = rng.sample(ts, 2)
        a, b = a.name, b.name
    elif mode == 1:
        a, b = ctx.pkl.name, ctx.const.name
    elif mode == 2:
        a, b = [x.name for x in rng.sample(ctx.code_py, 2)]
    elif mode == 3:
        a, b = ctx.pkl.name, rng.choice(ctx.code_py + ctx.code_dbg).name
    else:
        a, b = rng.sample(names, 2)
    ia, ib = names.index(a), names.index(b)
    wa, wb = ws[ia], ws[ib]
    ws[ia] = WEntry(a, wb.method, wb.raw, wb.crc, wb.usize)
    ws[ib] = WEntry(b, wa.method, wa.raw, wa.crc, wa.usize)
    return serialize(ctx, ws), "swapped data of %s and %s" % (a.decode(), b.decode())


def _garbage_pickles(ctx, rng, orig):
    n = 200000 if rng.random() < 0.5 else 1000000
    return [
        ("random bytes", bytes(rng.randrange(256) for _ in range(rng.choice([1, 16, 4096])))),
        ("empty", b""),
        ("truncated", orig[:rng.randrange(1, len(orig))]),
        ("no STOP", orig[:-1]),
        ("valid pickle of a dict", pickle.dumps({"a": 1, "b": [1, 2, 3]}, protocol=2)),
        ("valid pickle of an int", pickle.dumps(42, protocol=2)),
        ("deep MARK nesting", b"\x80\x02" + b"(" * n + b"."),
        ("deeply nested lists", b"\x80\x02" + b"]" * n + b"a" * (n - 1) + b"."),
        ("deeply nested tuples", b"\x80\x02" + b")" + b"\x85" * n + b"."),
        ("huge BINUNICODE length", b"\x80\x02X\xff\xff\xff\x7fabc."),
        ("huge LONG4 length", b"\x80\x02\x8b\xff\xff\xff\x7f\x00."),
        ("GLOBAL os system", b"\x80\x02cos\nsystem\nX\x04\x00\x00\x00true\x85R."),
        ("BINGET of missing memo", b"\x80\x02h\x07."),
        ("text zeros", b"\0" * 4096),
    ]


def m_garbage_pickle(ctx, rng, v):
    ws = wentries_from(ctx.data, ctx.lay)
    which = b"/constants.pkl" if v % 5 == 4 else b"/data.pkl"
    e = ctx.pkl if which == b"/data.pkl" else ctx.const
    orig = read_payload(ctx, e)
    opts = _garbage_pickles(ctx, rng, orig)
    label, payload = opts[v % len(opts)]
    idx = find_w(ws, which)
    replace_payload(ws, idx, payload)
    return serialize(ctx, ws), "%s := %s (%d bytes)" % (which.decode()[1:], label, len(payload))


# --- structured pickle edits ------------------------------------------------


def enc_int(val):
    if 0 <= val < 256:
        return b"K" + bytes([val])
    if 0 <= val < 65536:
        return b"M" + struct.pack("<H", val)
    if -(1 << 31) <= val < (1 << 31):
        return b"J" + struct.pack("<i", val)
    nb = (val.bit_length() + 8) // 8
    return b"\x8a" + bytes([nb]) + val.to_bytes(nb, "little", signed=True)


def enc_str(s):
    b = s.encode("utf-8", "surrogatepass")
    return b"X" + struct.pack("<I", len(b)) + b


def pickle_ops(p):
    ops = []
    for op, arg, pos in pickletools.genops(p):
        ops.append([op, arg, pos])
    for i in range(len(ops)):
        ops[i].append(ops[i + 1][2] if i + 1 < len(ops) else len(p))
    return ops


def m_pickle_edit(ctx, rng, v):
    ws = wentries_from(ctx.data, ctx.lay)
    p = read_payload(ctx, ctx.pkl)
    ops = pickle_ops(p)
    mode = v % 9
    ints = [o for o in ops if o[0].name in ("BININT1", "BININT2", "BININT", "LONG1")]
    strs = [o for o in ops if o[0].name in ("BINUNICODE", "SHORT_BINUNICODE")]
    globs = [o for o in ops if o[0].name == "GLOBAL"]
    target = None
    new = None
    if mode in (0, 1):  # shapes/strides/offsets/numel: change an integer
        target = rng.choice(ints)
        old = target[1]
        val = rng.choice([0, 1, 2, old + 1, old * 2 + 1, old * 1000, 65535, (1 << 31) - 1,
                          -1, -(1 << 31), 1 << 40, 1 << 62, (1 << 63) - 1])
        new = enc_int(val)
        what = "int %d -> %d at %d" % (old, val, target[2])
    elif mode == 2:  # storage key
        keys = [o for o in strs if o[1].isdigit()]
        target = rng.choice(keys)
        val = rng.choice(["999999", str(int(target[1]) + 1), "", "../version", "0/../../constants.pkl",
                          "-1", "1e9", "x" * 5000])
        new = enc_str(val)
        what = "storage key %r -> %r" % (target[1], val[:40])
    elif mode == 3:  # storage dtype
        st = [o for o in globs if o[1].endswith("Storage")]
        target = rng.choice(st)
        val = rng.choice(["torch HalfStorage", "torch LongStorage", "torch BoolStorage",
                          "torch ByteStorage", "torch QInt8Storage", "torch BogusStorage",
                          "torch ComplexDoubleStorage"])
        new = b"c" + val.replace(" ", "\n").encode() + b"\n"
        what = "storage type %s -> %s" % (target[1], val)
    elif mode == 4:  # device
        dev = [o for o in strs if o[1] == "cpu"]
        target = rng.choice(dev)
        val = rng.choice(["cuda", "cuda:7", "meta", "mps", "xla", "nonsense", "cpu:99999999999"])
        new = enc_str(val)
        what = "device 'cpu' -> %r" % val
    elif mode == 5:  # class globals
        target = rng.choice(globs)
        val = rng.choice(["__torch__.nonexistent Thing", "os system", "builtins eval",
                          "torch._utils _rebuild_nonexistent", "collections Counter",
                          "__torch__.torch.nn.modules.linear Conv2d"])
        new = b"c" + val.replace(" ", "\n").encode() + b"\n"
        what = "GLOBAL %s -> %s" % (target[1], val)
    elif mode == 6:  # delete an opcode
        target = rng.choice(ops[1:-1])
        new = b""
        what = "deleted opcode %s at %d" % (target[0].name, target[2])
    elif mode == 7:  # duplicate an opcode
        target = rng.choice(ops[1:-1])
        new = p[target[2]:target[3]] * 2
        what = "duplicated opcode %s at %d" % (target[0].name, target[2])
    else:  # attribute names / memo references
        if rng.random() < 0.5:
            gets = [o for o in ops if o[0].name == "BINGET"]
            target = rng.choice(gets)
            val = rng.choice([0, 255, target[1] + 1])
            new = b"h" + bytes([val])
            what = "BINGET %d -> %d" % (target[1], val)
        else:
            names = [o for o in strs if not o[1].isdigit() and o[1] != "cpu"]
            target = rng.choice(names)
            val = rng.choice(["", "weight", "training", "x" * 300, target[1] + "_"])
            new = enc_str(val)
            what = "attribute %r -> %r" % (target[1], val[:40])
    q = p[:target[2]] + new + p[target[3]:]
    idx = find_w(ws, b"/data.pkl")
    replace_payload(ws, idx, q)
    return serialize(ctx, ws), "data.pkl " + what


# --- code text edits ----------------------------------------------------------


def m_code_edit(ctx, rng, v):
    ws = wentries_from(ctx.data, ctx.lay)
    e = ctx.main_code if v % 3 == 0 else rng.choice(ctx.code_py)
    text = read_payload(ctx, e)
    lines = text.split(b"\n")
    mode = v % 12
    if mode == 0:
        i = rng.randrange(len(lines))
        lines.insert(i, b"  def (:")
        what = "syntax error inserted at line %d" % i
    elif mode == 1:
        i = rng.randrange(len(lines))
        del lines[i]
        what = "deleted line %d" % i
    elif mode == 2:
        nums = list(re.finditer(rb"\b\d+\b", text))
        if nums:
            m = rng.choice(nums)
            val = rng.choice([b"0", b"1", b"-1", b"99999999999", b"3137", b"100000000000000000000000"])
            text = text[:m.start()] + val + text[m.end():]
            lines = text.split(b"\n")
            what = "int literal %s -> %s" % (m.group().decode(), val.decode())
        else:
            lines.append(b"x = ")
            what = "no int literal; dangling assignment"
    elif mode == 3:
        text = re.sub(rb"class (\w+)", rb"class \1Renamed", text, count=1)
        lines = text.split(b"\n")
        what = "class renamed"
    elif mode == 4:
        depth = rng.choice([10000, 100000, 1000000])
        lines.append(b"_deep : Final[int] = " + b"(" * depth + b"1" + b")" * depth)
        what = "deeply nested parentheses (%d)" % depth
    elif mode == 5:
        n = rng.choice([10000, 200000])
        lines.append(b"_long : Final[int] = " + b"1+" * n + b"1")
        what = "very long expression (%d terms)" % n
    elif mode == 6:
        i = rng.randrange(len(lines))
        lines.insert(i, b"  # \xff\xfe\xc3\x28 not utf-8")
        what = "invalid UTF-8 at line %d" % i
    elif mode == 7:
        lines = [b""]
        what = "emptied"
    elif mode == 8:
        lines = [bytes(rng.randrange(256) for _ in range(rng.choice([10, 2000])))]
        what = "replaced by random bytes"
    elif mode == 9:
        text = text.replace(b"__torch__.", b"__torch__.nonexistent.", 1)
        lines = text.split(b"\n")
        what = "qualified name points to a missing module"
    elif mode == 10:
        i = rng.randrange(len(lines))
        lines.insert(i, b"  " + b"x" * (1 << 20) + b" : Tensor")
        what = "1 MiB identifier at line %d" % i
    else:
        # tensor shape change in the code text: e.g. Final[int] constants
        text2 = re.sub(rb"(Final\[int\] = )(\d+)", lambda m: m.group(1) + str(int(m.group(2)) * 2 + 1).encode(), text)
        if text2 == text:
            text2 = text.replace(b"Tensor", b"int", 1)
        lines = text2.split(b"\n")
        what = "Final[int] constants / annotations changed"
    payload = b"\n".join(lines)
    idx = find_w(ws, e.name)
    replace_payload(ws, idx, payload)
    return serialize(ctx, ws), "%s: %s" % (ctx.name_of(e), what)


# --- zip bombs -----------------------------------------------------------------


def m_zip_bomb(ctx, rng, v, bomb_mib=1024, big_mib=4608):
    ws = wentries_from(ctx.data, ctx.lay)
    mode = v % 7
    if mode == 0:
        (stream, crc, usize) = bomb_stream(0x20, bomb_mib)
        idx = find_w(ws, ctx.main_code.name)
        ws[idx] = WEntry(ws[idx].name, 8, stream, crc, usize)
        what = "main code file := %d MiB of spaces (deflated)" % bomb_mib
    elif mode == 1:
        (stream, crc, usize) = bomb_stream(0, bomb_mib)
        idx = find_w(ws, b"/data.pkl")
        ws[idx] = WEntry(ws[idx].name, 8, stream, crc, usize)
        what = "data.pkl := %d MiB of zeros (deflated)" % bomb_mib
    elif mode == 2:
        (stream, crc, usize) = bomb_stream(0x20, bomb_mib)
        idx = find_w(ws, b"/extra/compresslab.json")
        ws[idx] = WEntry(ws[idx].name, 8, stream, crc, usize)
        what = "extra/compresslab.json := %d MiB of spaces (deflated)" % bomb_mib
    elif mode == 3:
        (stream, crc, usize) = bomb_stream(0, big_mib)
        ws.append(WEntry(ctx.prefix + b"extra/bomb.bin", 8, stream, crc, usize))
        what = "extra unused zip64 entry of %d MiB (deflated)" % big_mib
    elif mode == 4:
        (stream, crc, usize) = bomb_stream(0x20, bomb_mib)
        idx = find_w(ws, ctx.main_code.name)
        w = WEntry(ws[idx].name, 8, stream, crc, usize)
        w.declared_usize = 1000
        ws[idx] = w
        what = "main code file: %d MiB stream declared as 1000 bytes" % bomb_mib
    elif mode == 5:
        (stream, crc, usize) = bomb_stream(0, big_mib)
        idx = find_w(ws, b"/data.pkl")
        ws[idx] = WEntry(ws[idx].name, 8, stream, crc, usize)
        what = "data.pkl := %d MiB of zeros (zip64, deflated)" % big_mib
    else:
        idx = find_w(ws, ctx.main_code.name)
        w = ws[idx]
        w.declared_usize = rng.choice([0xF0000000, 3 << 30, 1 << 36])
        what = "main code file: small stream declared as %d bytes" % w.declared_usize
    return (lambda f: write_zip(f, ws)), what


def m_append_garbage(ctx, rng, v):
    d = ctx.data
    mode = v % 8
    if mode == 0:
        g = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
        return d + g, "appended %d random bytes" % len(g)
    if mode == 1:
        g = random.Random(rng.random()).randbytes(1 << 20)
        return d + g, "appended 1 MiB of random bytes"
    if mode == 2:
        n = rng.choice([65536, 70000, 1 << 20])
        return d + b"\0" * n, "appended %d zero bytes" % n
    if mode == 3:
        return d + d, "appended a second copy of the archive"
    if mode == 4:
        fake = struct.pack("<4sHHHHIIH", SIG_EOCD, 0, 0, 5, 5, 1000, rng.randrange(len(d)), 0)
        return d + fake, "appended a fake end record"
    if mode == 5:
        g = bytes(rng.randrange(256) for _ in range(rng.choice([1, 100, 4096])))
        return g + d, "prepended %d random bytes" % len(g)
    if mode == 6:
        return d + SIG_EOCD + b"\x00" * rng.randrange(0, 18), "appended a partial end record"
    return d[:-2] + struct.pack("<H", 0xFFFF) + b"c" * 100, "end-record comment length 65535 with 100 bytes"


KINDS = {
    "flip_random": m_flip_random,
    "flip_local_header": m_flip_local_header,
    "flip_central_dir": m_flip_central_dir,
    "flip_end_records": m_flip_end_records,
    "flip_pickle": m_flip_pickle,
    "flip_code_deflate": m_flip_code_deflate,
    "flip_tensor_data": m_flip_tensor_data,
    "truncate": m_truncate,
    "huge_size_central": m_huge_size_central,
    "huge_size_local": m_huge_size_local,
    "header_field_edit": m_header_field_edit,
    "rename_entry": m_rename_entry,
    "delete_entry": m_delete_entry,
    "duplicate_entry": m_duplicate_entry,
    "swap_entries": m_swap_entries,
    "garbage_pickle": m_garbage_pickle,
    "pickle_edit": m_pickle_edit,
    "code_edit": m_code_edit,
    "zip_bomb": m_zip_bomb,
    "append_garbage": m_append_garbage,
}

# --------------------------------------------------------------------------
# Running and classifying
# --------------------------------------------------------------------------

# exit 2 where the isolated loader child died and the parent reported it
HELPER_RE = re.compile(r"helper process|\bcrashed\b|ran out of (memory|time)|took too long|killed", re.I)


def normalise_reason(reason, paths):
    r = reason
    for p in paths:
        if p:
            r = r.replace(p, "PATH")
    # quoted things: 'x', "x", `x`, “x”, ‘x’
    r = re.sub(r"(?<![A-Za-z])'[^']*'", "'X'", r)
    r = re.sub(r'"[^"]*"', '"X"', r)
    r = re.sub(r"“[^”]*”|‘[^’]*’|`[^`]*`", "'X'", r)
    # entry names, which the messages give unquoted
    r = re.sub(r"\b(entries) (\S+) and (\S+)(?= overlap)", r"\1 X and X", r)
    r = re.sub(r"\b(entry) (?!(?:header|that|which|with|name)\b)(\S+?)(?= (?:has|have|declares|would|points|uses|is|was|climbs)\b)", r"\1 X", r)
    # paths (tokens with a slash or backslash), except plain words like "memory/time"
    r = re.sub(r"[^\s'\"(),:;]*[/\\][^\s'\"(),:;]*",
               lambda m: m.group() if re.fullmatch(r"[A-Za-z]+(/[A-Za-z]+)+", m.group()) and len(m.group()) < 30
               else "X", r)
    r = re.sub(r"(.)\1{19,}", "X", r)
    r = re.sub(r"0x[0-9a-fA-F]+", "N", r)
    r = re.sub(r"-?\d[\d,.]*", "N", r)
    r = re.sub(r"\s+", " ", r).strip()
    return r[:200]


def extract_reason(stderr, path):
    lines = [l for l in stderr.splitlines() if l.strip()]
    for l in lines:
        m = re.search(r"cannot load (.*?): (.*)$", l)
        if m and (m.group(1) == path or path.endswith(m.group(1)) or m.group(1).endswith(os.path.basename(path))):
            return m.group(2).strip(), True
    for l in lines:
        m = re.search(r"cannot load [^:]*: (.*)$", l)
        if m:
            return m.group(1).strip(), True
    return (lines[-1].strip() if lines else "(no message on stderr)"), False


def run_one(cli, env, mutant, timeout, mem_limit_mb):
    script = "ulimit -c 0; "
    if mem_limit_mb:
        script += "ulimit -v %d 2>/dev/null; " % (mem_limit_mb * 1024)
    script += 'exec "$0" "$@"'
    cmd = ["/bin/sh", "-c", script, cli, "inspect", "--json", mutant]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                         env=env, start_new_session=True)
    hung = False
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        hung = True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = p.communicate()
    dt = time.monotonic() - t0
    # anything left in the process group (e.g. a helper child) is ours to end
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    return p.returncode, out, err.decode("utf-8", "replace"), dt, hung


def describe_rc(rc):
    if rc < 0:
        try:
            return "signal %s" % signal.Signals(-rc).name
        except ValueError:
            return "signal %d" % -rc
    return "exit %d" % rc


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def copy_cli(cli, dest_dir, extra_bins):
    """Copies the CLI and the non-system shared libraries it resolves to."""
    bindir = os.path.join(dest_dir, "bin")
    libdir = os.path.join(dest_dir, "lib")
    os.makedirs(bindir)
    os.makedirs(libdir)
    copy = os.path.join(bindir, os.path.basename(cli))
    shutil.copy2(cli, copy)
    for extra in extra_bins:
        src = extra if os.path.isabs(extra) else os.path.join(os.path.dirname(cli), extra)
        shutil.copy2(src, os.path.join(bindir, os.path.basename(src)))
    copied = []
    try:
        out = subprocess.run(["ldd", copy], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    for line in out.splitlines():
        m = re.match(r"\s*(\S+)\s+=>\s+(/\S+)", line)
        if not m:
            continue
        real = m.group(2)
        if re.match(r"^/(usr/)?(lib|lib64|lib32)/", real):
            continue
        shutil.copy2(real, os.path.join(libdir, m.group(1)))
        copied.append(real)
    return copy, libdir, copied


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", default="build/bin/compresslab-cli", help="CLI binary (copied before use)")
    ap.add_argument("--count", type=int, default=1200, help="number of mutants (default 1200)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120.0, help="per-run timeout in seconds")
    ap.add_argument("--report", help="write a JSON report here")
    ap.add_argument("--out", default="/tmp/compresslab-mutants",
                    help="directory for reproducers of crashes/hangs (default %(default)s)")
    ap.add_argument("--kinds", help="comma-separated subset of mutation kinds")
    ap.add_argument("--models", help="comma-separated subset of zoo models")
    ap.add_argument("--zoo", default=ZOO)
    ap.add_argument("--mem-limit-mb", type=int, default=6144,
                    help="address-space limit per run (ulimit -v; 0 = none; default %(default)s)")
    ap.add_argument("--bomb-mib", type=int, default=1024, help="size of the ordinary zip-bomb entries")
    ap.add_argument("--big-bomb-mib", type=int, default=4608, help="size of the zip64 zip-bomb entries")
    ap.add_argument("--extra-bin", action="append", default=[],
                    help="further files next to the CLI to copy along (e.g. a helper binary)")
    ap.add_argument("--keep-all", action="store_true", help="keep every mutant in --out")
    ap.add_argument("--list-kinds", action="store_true")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()

    if args.list_kinds:
        print("\n".join(KINDS))
        return 0
    kinds = list(KINDS) if not args.kinds else [k.strip() for k in args.kinds.split(",") if k.strip()]
    for k in kinds:
        if k not in KINDS:
            print("unknown kind %s (see --list-kinds)" % k, file=sys.stderr)
            return 3
    models = MODELS if not args.models else [m.strip() for m in args.models.split(",") if m.strip()]
    model_paths = {m: os.path.join(args.zoo, m, "model.pt") for m in models}
    for m, p in model_paths.items():
        if not os.path.isfile(p):
            print("zoo model missing: %s (run compresslab-cli zoo build)" % p, file=sys.stderr)
            return 3
    if not os.path.isfile(args.cli):
        print("CLI binary not found: %s" % args.cli, file=sys.stderr)
        return 3

    started = datetime.datetime.now().isoformat(timespec="seconds")
    sha_before = {m: sha256(p) for m, p in model_paths.items()}
    work = tempfile.mkdtemp(prefix="compresslab-mut-")
    cli_src = os.path.abspath(args.cli)
    cli_mtime = datetime.datetime.fromtimestamp(os.path.getmtime(cli_src)).isoformat(timespec="seconds")
    cli, libdir, libs_copied = copy_cli(cli_src, work, args.extra_bin)
    cli_sha = sha256(cli)
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = libdir + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    mutdir = os.path.join(work, "mutants")
    os.makedirs(mutdir)
    os.makedirs(args.out, exist_ok=True)

    def log(msg):
        if not args.quiet:
            print(msg, file=sys.stderr, flush=True)

    log("CLI copied to %s (sha256 %s…, built %s); libraries copied: %s"
        % (cli, cli_sha[:12], cli_mtime, ", ".join(libs_copied) or "none"))
    ctxs = {m: Ctx(m, p) for m, p in model_paths.items()}

    # sanity: originals and an identity rewrite must load
    sanity = {}
    for m, c in ctxs.items():
        rc, _, err, dt, _ = run_one(cli, env, c.path, args.timeout, args.mem_limit_mb)
        ident = os.path.join(mutdir, "identity-%s.pt" % m)
        with open(ident, "wb") as f:
            write_zip(f, wentries_from(c.data, c.lay))
        rc2, _, err2, _, _ = run_one(cli, env, ident, args.timeout, args.mem_limit_mb)
        os.unlink(ident)
        sanity[m] = {"original_rc": rc, "identity_rewrite_rc": rc2, "original_seconds": round(dt, 3),
                     "stderr": (err + err2).strip()[-300:]}
        if rc != 0 or rc2 != 0:
            log("WARNING: %s: original exit %s, identity rewrite exit %s: %s" % (m, rc, rc2, (err + err2).strip()[-300:]))
    if any(s["original_rc"] != 0 for s in sanity.values()):
        print("the unmodified zoo models do not load with this CLI (is it being rebuilt?); aborting: %s"
              % json.dumps(sanity), file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)
        return 3

    if "zip_bomb" in kinds:
        t = time.monotonic()
        bomb_stream(0x20, args.bomb_mib)
        bomb_stream(0, args.bomb_mib)
        bomb_stream(0, args.big_bomb_mib)
        log("zip-bomb streams prepared in %.1fs" % (time.monotonic() - t))

    plan = []
    K = len(kinds)
    for i in range(args.count):
        kind = kinds[i % K]
        j = i // K
        model = models[j % len(models)]
        variant = j // len(models) if len(models) > 1 else j
        plan.append((i, kind, model, variant))

    results = [None] * len(plan)
    done = [0]
    lock = threading.Lock()
    t_start = time.monotonic()

    def task(item):
        i, kind, model, variant = item
        ctx = ctxs[model]
        rng = random.Random("%d:%d:%s:%s" % (args.seed, i, kind, model))
        fn = KINDS[kind]
        t_gen = time.monotonic()
        try:
            if kind == "zip_bomb":
                mutant, detail = fn(ctx, rng, variant, args.bomb_mib, args.big_bomb_mib)
            else:
                mutant, detail = fn(ctx, rng, variant)
        except Exception as ex:  # a mutator bug must not stop the run
            res = {"id": i, "kind": kind, "model": model, "variant": variant, "outcome": "generator-error",
                   "detail": "%s: %s" % (type(ex).__name__, ex)}
            return res
        path = os.path.join(mutdir, "%05d-%s-%s.pt" % (i, kind, model))
        with open(path, "wb") as f:
            if callable(mutant):
                mutant(f)
            else:
                f.write(mutant)
        gen_s = time.monotonic() - t_gen
        size = os.path.getsize(path)
        rc, out, err, dt, hung = run_one(cli, env, path, args.timeout, args.mem_limit_mb)
        res = {"id": i, "kind": kind, "model": model, "variant": variant, "detail": detail,
               "mutant_bytes": size, "seconds": round(dt, 3), "gen_seconds": round(gen_s, 3),
               "rc": rc}
        if hung:
            res["outcome"] = "hang"
            res["rc_text"] = "timeout after %gs" % args.timeout
        elif rc == 0:
            res["outcome"] = "ok"
            try:
                json.loads(out)
                res["json_ok"] = True
            except ValueError:
                res["json_ok"] = False
        elif rc == 2:
            reason, standard = extract_reason(err, path)
            res["reason"] = reason[:500]
            res["standard_message"] = standard
            res["category"] = normalise_reason(reason, [path, os.path.basename(path), work])
            res["outcome"] = "helper" if HELPER_RE.search(reason) else "refused"
        else:
            res["outcome"] = "crash"
            res["rc_text"] = describe_rc(rc)
        if res["outcome"] in ("crash", "hang"):
            res["stderr_tail"] = err.strip()[-2000:]
        keep = res["outcome"] in ("crash", "hang") or args.keep_all
        if keep:
            sub = os.path.join(args.out, res["outcome"] + "es" if res["outcome"] == "crash" else res["outcome"] + "s") \
                if not args.keep_all else args.out
            os.makedirs(sub, exist_ok=True)
            dest = os.path.join(sub, os.path.basename(path))
            shutil.move(path, dest)
            res["saved"] = dest
            with open(dest + ".txt", "w") as f:
                f.write("kind: %s\nmodel: %s\ndetail: %s\noutcome: %s (%s)\nseed: %d id: %d\n"
                        "reproduce: %s inspect --json %s\nstderr:\n%s\n"
                        % (kind, model, detail, res["outcome"], res.get("rc_text", rc), args.seed, i,
                           cli_src, dest, err.strip()[-4000:]))
        else:
            os.unlink(path)
        with lock:
            done[0] += 1
            n = done[0]
            if res["outcome"] in ("crash", "hang"):
                log("  [%d] %s %s %s: %s (%s) -> %s" % (i, res["outcome"].upper(), kind, model, detail,
                                                       res.get("rc_text"), res.get("saved")))
            if n % 50 == 0 or n == len(plan):
                el = time.monotonic() - t_start
                log("%d/%d runs, %.1fs, %.2f runs/s" % (n, len(plan), el, n / el if el else 0))
        return res

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
            futs = {ex.submit(task, item): item[0] for item in plan}
            for fut in concurrent.futures.as_completed(futs):
                i = futs[fut]
                try:
                    results[i] = fut.result()
                except Exception as e:
                    it = plan[i]
                    results[i] = {"id": i, "kind": it[1], "model": it[2], "variant": it[3],
                                  "outcome": "generator-error", "detail": "%s: %s" % (type(e).__name__, e)}
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    wall = time.monotonic() - t_start
    results = [r for r in results if r is not None]
    shutil.rmtree(work, ignore_errors=True)

    sha_after = {m: sha256(p) for m, p in model_paths.items()}
    zoo_unchanged = sha_after == sha_before

    # ---------------- summary
    outcomes = ["ok", "refused", "helper", "crash", "hang", "generator-error"]
    tot = {o: 0 for o in outcomes}
    per_kind = {k: {o: 0 for o in outcomes} for k in kinds}
    per_model = {m: {o: 0 for o in outcomes} for m in models}
    cats = {}
    for r in results:
        tot[r["outcome"]] += 1
        per_kind[r["kind"]][r["outcome"]] += 1
        per_model[r["model"]][r["outcome"]] += 1
        if r["outcome"] in ("refused", "helper"):
            c = cats.setdefault(r["category"], {"count": 0, "kinds": {}, "example": r["reason"],
                                                "example_id": r["id"]})
            c["count"] += 1
            c["kinds"][r["kind"]] = c["kinds"].get(r["kind"], 0) + 1
    crashes = [r for r in results if r["outcome"] == "crash"]
    hangs = [r for r in results if r["outcome"] == "hang"]
    bad_json = [r["id"] for r in results if r["outcome"] == "ok" and not r.get("json_ok", True)]
    nonstd = [r["id"] for r in results if r["outcome"] in ("refused", "helper") and not r.get("standard_message")]

    shown = [o for o in outcomes if o != "generator-error" or tot[o]]
    w = max(len(k) for k in kinds + ["TOTAL"])
    print()
    print("compresslab-cli inspect mutation run: %d mutants, seed %d, %d jobs, timeout %gs"
          % (len(results), args.seed, args.jobs, args.timeout))
    print("CLI %s (copy sha256 %s, built %s)" % (cli_src, cli_sha[:16], cli_mtime))
    print()
    print("%-*s %6s" % (w, "kind", "runs") + "".join(" %8s" % o[:8] for o in shown))
    for k in kinds:
        row = per_kind[k]
        print("%-*s %6d" % (w, k, sum(row.values())) + "".join(" %8d" % row[o] for o in shown))
    print("%-*s %6d" % (w, "TOTAL", len(results)) + "".join(" %8d" % tot[o] for o in shown))
    print()
    print("per model: " + "; ".join("%s %s" % (m, ", ".join("%s %d" % (o, per_model[m][o]) for o in shown if per_model[m][o]))
                                     for m in models))
    print()
    print("top refusal reasons (normalised, %d categories):" % len(cats))
    for cat, c in sorted(cats.items(), key=lambda kv: -kv[1]["count"])[:20]:
        top_kinds = ", ".join("%s %d" % kv for kv in sorted(c["kinds"].items(), key=lambda kv: -kv[1])[:3])
        print("  %5d  %s   [%s]" % (c["count"], cat, top_kinds))
    if crashes or hangs:
        print()
        print("CRASHES / HANGS:")
        for r in crashes + hangs:
            print("  #%d %s %s %s: %s -> %s" % (r["id"], r["kind"], r["model"], r.get("rc_text"), r["detail"], r.get("saved")))
    if bad_json:
        print("exit 0 but stdout not JSON: %s" % bad_json[:20])
    if nonstd:
        print("exit 2 without the standard 'cannot load' line: %d (ids %s)" % (len(nonstd), nonstd[:20]))
    print()
    print("wall time %.1fs, %.2f runs/s; zoo files unchanged: %s" % (wall, len(results) / wall if wall else 0,
                                                                      "yes" if zoo_unchanged else "NO"))
    verdict_ok = not crashes and not hangs and zoo_unchanged and len(results) == len(plan)
    print("RESULT: %s" % ("PASS (no crash, no hang)" if verdict_ok else
                         "FAIL (%d crashes, %d hangs%s)" % (len(crashes), len(hangs),
                                                           "" if zoo_unchanged else ", zoo files changed")))

    if args.report:
        rep = {
            "started": started, "cli": cli_src, "cli_sha256": cli_sha, "cli_mtime": cli_mtime,
            "libraries_copied": libs_copied, "seed": args.seed, "count": args.count, "jobs": args.jobs,
            "timeout_s": args.timeout, "mem_limit_mb": args.mem_limit_mb, "kinds": kinds, "models": models,
            "sanity": sanity, "wall_seconds": round(wall, 1),
            "runs_per_second": round(len(results) / wall, 3) if wall else None,
            "totals": tot, "per_kind": per_kind, "per_model": per_model,
            "reason_categories": [dict(category=k, **v) for k, v in
                                  sorted(cats.items(), key=lambda kv: -kv[1]["count"])],
            "crashes": crashes, "hangs": hangs, "ok_without_json": bad_json,
            "zoo_sha256_before": sha_before, "zoo_sha256_after": sha_after, "zoo_unchanged": zoo_unchanged,
            "pass": verdict_ok, "runs": results,
        }
        with open(args.report, "w") as f:
            json.dump(rep, f, indent=1)
        print("report: %s" % args.report)
    return 0 if verdict_ok else 1


if __name__ == "__main__":
    sys.exit(main())
