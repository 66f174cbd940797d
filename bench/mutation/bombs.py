"""Oversized and extra data: ZIP bombs (entries that inflate to GiBs, streams whose declared size lies)
and garbage outside the archive (appended or prepended bytes, a second copy, fake or partial end
records, an end-record comment length that overruns the file). m_zip_bomb returns a writer, not bytes:
its mutants are built as they are written."""
import random
import struct

from context import find_w
from zipmodel import SIG_EOCD, WEntry, bomb_stream, wentries_from, write_zip


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
