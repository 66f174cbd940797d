"""Byte-level damage without regard to meaning: random byte flips anywhere, in one header (local,
central, end records) or inside one entry's data (pickle, deflate stream, tensor), optionally with the
CRC patched so the damage gets past the CRC check; and truncation at random or chosen offsets."""
import struct
import zlib


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
