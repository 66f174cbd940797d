#!/usr/bin/python3
"""Mutation robustness run for `compresslab-cli inspect`.

Builds N deterministic mutants of the demo-zoo TorchScript files (ZIP archives)
and runs `compresslab-cli inspect --json MUTANT` on each, in parallel, with a
per-run timeout.  Every run is classified as

  ok        exit 0: the mutant loaded (the mutation was harmless)
  refused   exit 2 with a reason on stderr (grouped into normalised categories)
  helper    exit 2 where the reason says the isolated helper process
            crashed / ran out of memory / time (the parent survived)
  crash     any other exit status (killed by a signal, abort, exit 1, ...):
            the mutant is saved to --out for reproduction
  hang      still running after --timeout seconds (killed; mutant saved)

At the end it checks that the zoo files' SHA-256 are unchanged, prints a
summary and optionally writes a JSON report.  Exit status: 0 when there was no
crash, no hang and the zoo files are unchanged; 1 otherwise; 3 on set-up errors.

Standard library only.  The CLI binary (and any non-system shared library it
uses, e.g. build/lib/*.so) is COPIED to a temporary directory first, so a
concurrent rebuild of the original does not disturb the run.

Layout: bench/mutation/zipmodel.py reads and rewrites the ZIP archives, bench/mutation/mutators.py
holds the mutation kinds; this file runs, classifies and reports.

Usage:
  /usr/bin/python3 bench/mutation_run.py [--cli build/bin/compresslab-cli]
      [--count 1200] [--seed 1] [--jobs 2] [--timeout 120]
      [--report FILE.json] [--out DIR] [--kinds k1,k2] [--models m1,m2]
      [--mem-limit-mb 6144] [--keep-all] [--list-kinds]
"""

import argparse
import concurrent.futures
import datetime
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "mutation"))
from mutators import *  # noqa: E402,F401,F403  (Ctx, KINDS, Layout, MODELS, ZOO, ...)

# --------------------------------------------------------------------------
# Running and classifying
# --------------------------------------------------------------------------

# exit 2 where the isolated loader child died and the parent reported it
HELPER_RE = re.compile(r"helper process|\bcrashed\b|ran out of (memory|time)|took too long|killed", re.I)


def normalise_reason(reason, paths):
    r = reason
    for p in paths:
        if p:
            r = r.replace(p, "PATH")
    # quoted things: 'x', "x", `x`, “x”, ‘x’
    r = re.sub(r"(?<![A-Za-z])'[^']*'", "'X'", r)
    r = re.sub(r'"[^"]*"', '"X"', r)
    r = re.sub(r"“[^”]*”|‘[^’]*’|`[^`]*`", "'X'", r)
    # entry names, which the messages give unquoted
    r = re.sub(r"\b(entries) (\S+) and (\S+)(?= overlap)", r"\1 X and X", r)
    r = re.sub(r"\b(entry) (?!(?:header|that|which|with|name)\b)(\S+?)(?= (?:has|have|declares|would|points|uses|is|was|climbs)\b)", r"\1 X", r)
    # paths (tokens with a slash or backslash), except plain words like "memory/time"
    r = re.sub(r"[^\s'\"(),:;]*[/\\][^\s'\"(),:;]*",
               lambda m: m.group() if re.fullmatch(r"[A-Za-z]+(/[A-Za-z]+)+", m.group()) and len(m.group()) < 30
               else "X", r)
    r = re.sub(r"(.)\1{19,}", "X", r)
    r = re.sub(r"0x[0-9a-fA-F]+", "N", r)
    r = re.sub(r"-?\d[\d,.]*", "N", r)
    r = re.sub(r"\s+", " ", r).strip()
    return r[:200]


def extract_reason(stderr, path):
    lines = [l for l in stderr.splitlines() if l.strip()]
    for l in lines:
        m = re.search(r"cannot load (.*?): (.*)$", l)
        if m and (m.group(1) == path or path.endswith(m.group(1)) or m.group(1).endswith(os.path.basename(path))):
            return m.group(2).strip(), True
    for l in lines:
        m = re.search(r"cannot load [^:]*: (.*)$", l)
        if m:
            return m.group(1).strip(), True
    return (lines[-1].strip() if lines else "(no message on stderr)"), False


def run_one(cli, env, mutant, timeout, mem_limit_mb):
    script = "ulimit -c 0; "
    if mem_limit_mb:
        script += "ulimit -v %d 2>/dev/null; " % (mem_limit_mb * 1024)
    script += 'exec "$0" "$@"'
    cmd = ["/bin/sh", "-c", script, cli, "inspect", "--json", mutant]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                         env=env, start_new_session=True)
    hung = False
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        hung = True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = p.communicate()
    dt = time.monotonic() - t0
    # anything left in the process group (e.g. a helper child) is ours to end
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    return p.returncode, out, err.decode("utf-8", "replace"), dt, hung


def describe_rc(rc):
    if rc < 0:
        try:
            return "signal %s" % signal.Signals(-rc).name
        except ValueError:
            return "signal %d" % -rc
    return "exit %d" % rc


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def copy_cli(cli, dest_dir, extra_bins):
    """Copies the CLI and the non-system shared libraries it resolves to."""
    bindir = os.path.join(dest_dir, "bin")
    libdir = os.path.join(dest_dir, "lib")
    os.makedirs(bindir)
    os.makedirs(libdir)
    copy = os.path.join(bindir, os.path.basename(cli))
    shutil.copy2(cli, copy)
    for extra in extra_bins:
        src = extra if os.path.isabs(extra) else os.path.join(os.path.dirname(cli), extra)
        shutil.copy2(src, os.path.join(bindir, os.path.basename(src)))
    copied = []
    try:
        out = subprocess.run(["ldd", copy], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    for line in out.splitlines():
        m = re.match(r"\s*(\S+)\s+=>\s+(/\S+)", line)
        if not m:
            continue
        real = m.group(2)
        if re.match(r"^/(usr/)?(lib|lib64|lib32)/", real):
            continue
        shutil.copy2(real, os.path.join(libdir, m.group(1)))
        copied.append(real)
    return copy, libdir, copied


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", default="build/bin/compresslab-cli", help="CLI binary (copied before use)")
    ap.add_argument("--count", type=int, default=1200, help="number of mutants (default 1200)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120.0, help="per-run timeout in seconds")
    ap.add_argument("--report", help="write a JSON report here")
    ap.add_argument("--out", default="/tmp/compresslab-mutants",
                    help="directory for reproducers of crashes/hangs (default %(default)s)")
    ap.add_argument("--kinds", help="comma-separated subset of mutation kinds")
    ap.add_argument("--models", help="comma-separated subset of zoo models")
    ap.add_argument("--zoo", default=ZOO)
    ap.add_argument("--mem-limit-mb", type=int, default=6144,
                    help="address-space limit per run (ulimit -v; 0 = none; default %(default)s)")
    ap.add_argument("--bomb-mib", type=int, default=1024, help="size of the ordinary zip-bomb entries")
    ap.add_argument("--big-bomb-mib", type=int, default=4608, help="size of the zip64 zip-bomb entries")
    ap.add_argument("--extra-bin", action="append", default=[],
                    help="further files next to the CLI to copy along (e.g. a helper binary)")
    ap.add_argument("--keep-all", action="store_true", help="keep every mutant in --out")
    ap.add_argument("--list-kinds", action="store_true")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()

    if args.list_kinds:
        print("\n".join(KINDS))
        return 0
    kinds = list(KINDS) if not args.kinds else [k.strip() for k in args.kinds.split(",") if k.strip()]
    for k in kinds:
        if k not in KINDS:
            print("unknown kind %s (see --list-kinds)" % k, file=sys.stderr)
            return 3
    models = MODELS if not args.models else [m.strip() for m in args.models.split(",") if m.strip()]
    model_paths = {m: os.path.join(args.zoo, m, "model.pt") for m in models}
    for m, p in model_paths.items():
        if not os.path.isfile(p):
            print("zoo model missing: %s (run compresslab-cli zoo build)" % p, file=sys.stderr)
            return 3
    if not os.path.isfile(args.cli):
        print("CLI binary not found: %s" % args.cli, file=sys.stderr)
        return 3

    started = datetime.datetime.now().isoformat(timespec="seconds")
    sha_before = {m: sha256(p) for m, p in model_paths.items()}
    work = tempfile.mkdtemp(prefix="compresslab-mut-")
    cli_src = os.path.abspath(args.cli)
    cli_mtime = datetime.datetime.fromtimestamp(os.path.getmtime(cli_src)).isoformat(timespec="seconds")
    cli, libdir, libs_copied = copy_cli(cli_src, work, args.extra_bin)
    cli_sha = sha256(cli)
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = libdir + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    mutdir = os.path.join(work, "mutants")
    os.makedirs(mutdir)
    os.makedirs(args.out, exist_ok=True)

    def log(msg):
        if not args.quiet:
            print(msg, file=sys.stderr, flush=True)

    log("CLI copied to %s (sha256 %s…, built %s); libraries copied: %s"
        % (cli, cli_sha[:12], cli_mtime, ", ".join(libs_copied) or "none"))
    ctxs = {m: Ctx(m, p) for m, p in model_paths.items()}

    # sanity: originals and an identity rewrite must load
    sanity = {}
    for m, c in ctxs.items():
        rc, _, err, dt, _ = run_one(cli, env, c.path, args.timeout, args.mem_limit_mb)
        ident = os.path.join(mutdir, "identity-%s.pt" % m)
        with open(ident, "wb") as f:
            write_zip(f, wentries_from(c.data, c.lay))
        rc2, _, err2, _, _ = run_one(cli, env, ident, args.timeout, args.mem_limit_mb)
        os.unlink(ident)
        sanity[m] = {"original_rc": rc, "identity_rewrite_rc": rc2, "original_seconds": round(dt, 3),
                     "stderr": (err + err2).strip()[-300:]}
        if rc != 0 or rc2 != 0:
            log("WARNING: %s: original exit %s, identity rewrite exit %s: %s" % (m, rc, rc2, (err + err2).strip()[-300:]))
    if any(s["original_rc"] != 0 for s in sanity.values()):
        print("the unmodified zoo models do not load with this CLI (is it being rebuilt?); aborting: %s"
              % json.dumps(sanity), file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)
        return 3

    if "zip_bomb" in kinds:
        t = time.monotonic()
        bomb_stream(0x20, args.bomb_mib)
        bomb_stream(0, args.bomb_mib)
        bomb_stream(0, args.big_bomb_mib)
        log("zip-bomb streams prepared in %.1fs" % (time.monotonic() - t))

    plan = []
    K = len(kinds)
    for i in range(args.count):
        kind = kinds[i % K]
        j = i // K
        model = models[j % len(models)]
        variant = j // len(models) if len(models) > 1 else j
        plan.append((i, kind, model, variant))

    results = [None] * len(plan)
    done = [0]
    lock = threading.Lock()
    t_start = time.monotonic()

    def task(item):
        i, kind, model, variant = item
        ctx = ctxs[model]
        rng = random.Random("%d:%d:%s:%s" % (args.seed, i, kind, model))
        fn = KINDS[kind]
        t_gen = time.monotonic()
        try:
            if kind == "zip_bomb":
                mutant, detail = fn(ctx, rng, variant, args.bomb_mib, args.big_bomb_mib)
            else:
                mutant, detail = fn(ctx, rng, variant)
        except Exception as ex:  # a mutator bug must not stop the run
            res = {"id": i, "kind": kind, "model": model, "variant": variant, "outcome": "generator-error",
                   "detail": "%s: %s" % (type(ex).__name__, ex)}
            return res
        path = os.path.join(mutdir, "%05d-%s-%s.pt" % (i, kind, model))
        with open(path, "wb") as f:
            if callable(mutant):
                mutant(f)
            else:
                f.write(mutant)
        gen_s = time.monotonic() - t_gen
        size = os.path.getsize(path)
        rc, out, err, dt, hung = run_one(cli, env, path, args.timeout, args.mem_limit_mb)
        res = {"id": i, "kind": kind, "model": model, "variant": variant, "detail": detail,
               "mutant_bytes": size, "seconds": round(dt, 3), "gen_seconds": round(gen_s, 3),
               "rc": rc}
        if hung:
            res["outcome"] = "hang"
            res["rc_text"] = "timeout after %gs" % args.timeout
        elif rc == 0:
            res["outcome"] = "ok"
            try:
                json.loads(out)
                res["json_ok"] = True
            except ValueError:
                res["json_ok"] = False
        elif rc == 2:
            reason, standard = extract_reason(err, path)
            res["reason"] = reason[:500]
            res["standard_message"] = standard
            res["category"] = normalise_reason(reason, [path, os.path.basename(path), work])
            res["outcome"] = "helper" if HELPER_RE.search(reason) else "refused"
        else:
            res["outcome"] = "crash"
            res["rc_text"] = describe_rc(rc)
        if res["outcome"] in ("crash", "hang"):
            res["stderr_tail"] = err.strip()[-2000:]
        keep = res["outcome"] in ("crash", "hang") or args.keep_all
        if keep:
            sub = os.path.join(args.out, res["outcome"] + "es" if res["outcome"] == "crash" else res["outcome"] + "s") \
                if not args.keep_all else args.out
            os.makedirs(sub, exist_ok=True)
            dest = os.path.join(sub, os.path.basename(path))
            shutil.move(path, dest)
            res["saved"] = dest
            with open(dest + ".txt", "w") as f:
                f.write("kind: %s\nmodel: %s\ndetail: %s\noutcome: %s (%s)\nseed: %d id: %d\n"
                        "reproduce: %s inspect --json %s\nstderr:\n%s\n"
                        % (kind, model, detail, res["outcome"], res.get("rc_text", rc), args.seed, i,
                           cli_src, dest, err.strip()[-4000:]))
        else:
            os.unlink(path)
        with lock:
            done[0] += 1
            n = done[0]
            if res["outcome"] in ("crash", "hang"):
                log("  [%d] %s %s %s: %s (%s) -> %s" % (i, res["outcome"].upper(), kind, model, detail,
                                                       res.get("rc_text"), res.get("saved")))
            if n % 50 == 0 or n == len(plan):
                el = time.monotonic() - t_start
                log("%d/%d runs, %.1fs, %.2f runs/s" % (n, len(plan), el, n / el if el else 0))
        return res

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
            futs = {ex.submit(task, item): item[0] for item in plan}
            for fut in concurrent.futures.as_completed(futs):
                i = futs[fut]
                try:
                    results[i] = fut.result()
                except Exception as e:
                    it = plan[i]
                    results[i] = {"id": i, "kind": it[1], "model": it[2], "variant": it[3],
                                  "outcome": "generator-error", "detail": "%s: %s" % (type(e).__name__, e)}
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    wall = time.monotonic() - t_start
    results = [r for r in results if r is not None]
    shutil.rmtree(work, ignore_errors=True)

    sha_after = {m: sha256(p) for m, p in model_paths.items()}
    zoo_unchanged = sha_after == sha_before

    # ---------------- summary
    outcomes = ["ok", "refused", "helper", "crash", "hang", "generator-error"]
    tot = {o: 0 for o in outcomes}
    per_kind = {k: {o: 0 for o in outcomes} for k in kinds}
    per_model = {m: {o: 0 for o in outcomes} for m in models}
    cats = {}
    for r in results:
        tot[r["outcome"]] += 1
        per_kind[r["kind"]][r["outcome"]] += 1
        per_model[r["model"]][r["outcome"]] += 1
        if r["outcome"] in ("refused", "helper"):
            c = cats.setdefault(r["category"], {"count": 0, "kinds": {}, "example": r["reason"],
                                                "example_id": r["id"]})
            c["count"] += 1
            c["kinds"][r["kind"]] = c["kinds"].get(r["kind"], 0) + 1
    crashes = [r for r in results if r["outcome"] == "crash"]
    hangs = [r for r in results if r["outcome"] == "hang"]
    bad_json = [r["id"] for r in results if r["outcome"] == "ok" and not r.get("json_ok", True)]
    nonstd = [r["id"] for r in results if r["outcome"] in ("refused", "helper") and not r.get("standard_message")]

    shown = [o for o in outcomes if o != "generator-error" or tot[o]]
    w = max(len(k) for k in kinds + ["TOTAL"])
    print()
    print("compresslab-cli inspect mutation run: %d mutants, seed %d, %d jobs, timeout %gs"
          % (len(results), args.seed, args.jobs, args.timeout))
    print("CLI %s (copy sha256 %s, built %s)" % (cli_src, cli_sha[:16], cli_mtime))
    print()
    print("%-*s %6s" % (w, "kind", "runs") + "".join(" %8s" % o[:8] for o in shown))
    for k in kinds:
        row = per_kind[k]
        print("%-*s %6d" % (w, k, sum(row.values())) + "".join(" %8d" % row[o] for o in shown))
    print("%-*s %6d" % (w, "TOTAL", len(results)) + "".join(" %8d" % tot[o] for o in shown))
    print()
    print("per model: " + "; ".join("%s %s" % (m, ", ".join("%s %d" % (o, per_model[m][o]) for o in shown if per_model[m][o]))
                                     for m in models))
    print()
    print("top refusal reasons (normalised, %d categories):" % len(cats))
    for cat, c in sorted(cats.items(), key=lambda kv: -kv[1]["count"])[:20]:
        top_kinds = ", ".join("%s %d" % kv for kv in sorted(c["kinds"].items(), key=lambda kv: -kv[1])[:3])
        print("  %5d  %s   [%s]" % (c["count"], cat, top_kinds))
    if crashes or hangs:
        print()
        print("CRASHES / HANGS:")
        for r in crashes + hangs:
            print("  #%d %s %s %s: %s -> %s" % (r["id"], r["kind"], r["model"], r.get("rc_text"), r["detail"], r.get("saved")))
    if bad_json:
        print("exit 0 but stdout not JSON: %s" % bad_json[:20])
    if nonstd:
        print("exit 2 without the standard 'cannot load' line: %d (ids %s)" % (len(nonstd), nonstd[:20]))
    print()
    print("wall time %.1fs, %.2f runs/s; zoo files unchanged: %s" % (wall, len(results) / wall if wall else 0,
                                                                      "yes" if zoo_unchanged else "NO"))
    verdict_ok = not crashes and not hangs and zoo_unchanged and len(results) == len(plan)
    print("RESULT: %s" % ("PASS (no crash, no hang)" if verdict_ok else
                         "FAIL (%d crashes, %d hangs%s)" % (len(crashes), len(hangs),
                                                           "" if zoo_unchanged else ", zoo files changed")))

    if args.report:
        rep = {
            "started": started, "cli": cli_src, "cli_sha256": cli_sha, "cli_mtime": cli_mtime,
            "libraries_copied": libs_copied, "seed": args.seed, "count": args.count, "jobs": args.jobs,
            "timeout_s": args.timeout, "mem_limit_mb": args.mem_limit_mb, "kinds": kinds, "models": models,
            "sanity": sanity, "wall_seconds": round(wall, 1),
            "runs_per_second": round(len(results) / wall, 3) if wall else None,
            "totals": tot, "per_kind": per_kind, "per_model": per_model,
            "reason_categories": [dict(category=k, **v) for k, v in
                                  sorted(cats.items(), key=lambda kv: -kv[1]["count"])],
            "crashes": crashes, "hangs": hangs, "ok_without_json": bad_json,
            "zoo_sha256_before": sha_before, "zoo_sha256_after": sha_after, "zoo_unchanged": zoo_unchanged,
            "pass": verdict_ok, "runs": results,
        }
        with open(args.report, "w") as f:
            json.dump(rep, f, indent=1)
        print("report: %s" % args.report)
    return 0 if verdict_ok else 1


if __name__ == "__main__":
    sys.exit(main())
