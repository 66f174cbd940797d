"""TorchScript code-file edits: the Python source text in the archive's code/ entries gets syntax
errors, deleted lines, changed literals and names, pathological nesting or length, invalid UTF-8,
random bytes, or changed Final[int] constants."""
import re

from context import find_w, read_payload, replace_payload, serialize
from zipmodel import wentries_from


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
