"""Forged ZIP header fields, written in place into the original archive: huge or inconsistent sizes
in central records, local headers and data descriptors, and other lying fields (local-header
offsets, compression method, encryption flags, name/extra/comment lengths, entry counts, central
directory size/offset, zip64 locator, version needed, overlapping entries, broken signatures)."""
import struct


HUGE_VALUES32 = [0xFFFFFFFF, 0xFFFFFFFE, 0x7FFFFFFF, 0x80000000, 0xF0000000, 0x40000000]


def huge32(rng, cur, filesize):
    choices = HUGE_VALUES32 + [cur * 1000 + 1, cur + 1, filesize + 1, max(0, cur - 1), 0]
    v = rng.choice(choices)
    return min(v, 0xFFFFFFFF)


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
