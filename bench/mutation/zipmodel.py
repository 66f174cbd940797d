"""The zoo's TorchScript files as ZIP archives: every header's byte range (Layout), a writer that rebuilds
an archive entry by entry (write_zip), and cached ZIP-bomb deflate streams. Used by the mutation kinds
(context.py and the family modules that mutators.py gathers)."""
import os
import struct
import threading
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


