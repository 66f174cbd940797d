"""What every mutation kind starts from: Ctx, one zoo model read into memory with its ZIP layout and the
entries the kinds aim at (data.pkl, constants.pkl, code files, tensor records, ...), and the helpers for
the kinds that rebuild the archive entry by entry (find an entry, read or replace its payload, write the
archive back to bytes)."""
import re
import zlib

from zipmodel import Layout, stored_or_deflated, write_zip


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
