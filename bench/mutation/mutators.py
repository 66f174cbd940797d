"""The mutation kinds of bench/mutation_run.py: each m_* function turns one zoo model into a damaged or
forged copy and says what it did; KINDS maps the kind names to them. The kinds live in one module per
family, gathered here:

  flips.py      byte flips (anywhere, in one header, in one entry's data) and truncation
  headers.py    forged header fields written in place (huge sizes, offsets, method, flags, counts, ...)
  entries.py    entries renamed, deleted, duplicated or swapped (archive rebuilt)
  pickles.py    data.pkl / constants.pkl replaced by garbage or edited opcode by opcode
  code_text.py  TorchScript code files edited as text
  bombs.py      zip bombs and garbage outside the archive
  context.py    Ctx (one model, its layout and target entries) and the rebuild helpers the kinds share
  zipmodel.py   ZIP layout, writer and bomb streams"""

# mutation_run.py does `from mutators import *`, so every public name of the family modules and of
# zipmodel (Ctx, Layout, MODELS, ZOO, write_zip, wentries_from, bomb_stream, ...) is re-exported here.
from zipmodel import *  # noqa: F401,F403
from context import *  # noqa: F401,F403
from flips import *  # noqa: F401,F403
from headers import *  # noqa: F401,F403
from entries import *  # noqa: F401,F403
from pickles import *  # noqa: F401,F403
from code_text import *  # noqa: F401,F403
from bombs import *  # noqa: F401,F403

# --------------------------------------------------------------------------
# Mutation kinds.  Each returns (bytes_or_writer, detail string).  A writer is
# a callable f(fileobj) for mutants too large to build in memory (bombs).
# The order matters: mutation_run.py gives mutant i the kind i % len(KINDS) and
# seeds its generator with i and the kind, so reordering or adding kinds changes
# the mutants a given seed produces.
# --------------------------------------------------------------------------

KINDS = {
    "flip_random": m_flip_random,
    "flip_local_header": m_flip_local_header,
    "flip_central_dir": m_flip_central_dir,
    "flip_end_records": m_flip_end_records,
    "flip_pickle": m_flip_pickle,
    "flip_code_deflate": m_flip_code_deflate,
    "flip_tensor_data": m_flip_tensor_data,
    "truncate": m_truncate,
    "huge_size_central": m_huge_size_central,
    "huge_size_local": m_huge_size_local,
    "header_field_edit": m_header_field_edit,
    "rename_entry": m_rename_entry,
    "delete_entry": m_delete_entry,
    "duplicate_entry": m_duplicate_entry,
    "swap_entries": m_swap_entries,
    "garbage_pickle": m_garbage_pickle,
    "pickle_edit": m_pickle_edit,
    "code_edit": m_code_edit,
    "zip_bomb": m_zip_bomb,
    "append_garbage": m_append_garbage,
}
