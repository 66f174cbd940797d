"""data.pkl / constants.pkl payload edits: the pickle replaced by garbage or hostile pickles (deep
nesting, huge lengths, GLOBAL os.system, ...), or edited opcode by opcode (integers such as shapes and
strides, storage keys, storage types, device strings, class globals, deleted or duplicated opcodes,
memo references, attribute names)."""
import pickle
import pickletools
import struct

from context import find_w, read_payload, replace_payload, serialize
from zipmodel import wentries_from


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
