"""The mutation kinds of bench/mutation_run.py: each m_* function turns one zoo model into a damaged or
forged copy and says what it did; KINDS maps the kind names to them."""
import pickle
import pickletools
import random
import re
import struct
import zlib

from zipmodel import *  # noqa: F401,F403  (layout, writer, bombs and constants)

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

