"""Archive-structure edits that rebuild the archive entry by entry: entries renamed (path traversal,
absolute, other prefix, over-long, NUL, invalid UTF-8, ...), deleted, duplicated or swapped."""
from context import find_w, serialize
from zipmodel import WEntry, stored_or_deflated, wentries_from


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
