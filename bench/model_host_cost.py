#!/usr/bin/python3
"""What the window's model host costs (docs/reliability.md): for each zoo model, the host's start with the
model and dataset loaded (`prepare`), then evaluations and compress + quick evaluations through it, each
round trip against the time the host itself measured for that work (its `wall_seconds`), and the same
evaluation by `compresslab-cli eval` with COMPRESSLAB_ISOLATION=off (one process, load included) as the peer.

usage: bench/model_host_cost.py [--bin build/bin] [--runs 5] [MODEL...]   (default: the three zoo models)
"""
import argparse, json, os, statistics, subprocess, time

ZOO = os.path.expanduser("~/.cache/compresslab/zoo")


class Host:
    def __init__(self, cli):
        self.p = subprocess.Popen([cli, "host"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.next = 0

    def call(self, request):
        self.next += 1
        request = dict(request, id=self.next)
        start = time.perf_counter()
        self.p.stdin.write(json.dumps(request) + "\n")
        for line in self.p.stdout:
            answer = json.loads(line)
            if answer.get("id") == self.next and "progress" not in answer:
                if "error" in answer:
                    raise RuntimeError(answer["error"])
                return time.perf_counter() - start, answer["result"]
        raise RuntimeError("the host ended")

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/bin")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("models", nargs="*", default=["fashion-cnn", "brown-gpt", "spam-transformer"])
    a = ap.parse_args()
    cli = os.path.join(a.bin, "compresslab-cli")
    print(f"{'model':18} {'start+load':>10} {'eval trip':>10} {'eval own':>9} {'overhead':>9} {'quick trip':>10} {'quick own':>9} {'peer eval (CLI, no isolation)':>30}")
    for name in a.models:
        model, data = f"{ZOO}/{name}/model.pt", f"{ZOO}/{name}/eval.safetensors"
        starts, trips, owns, qtrips, qowns, peers = [], [], [], [], [], []
        for _ in range(a.runs):
            host = Host(cli)
            base = {"model": model, "data": data}
            t, _ = host.call(dict(base, op="prepare"))
            starts.append(t)
            t, r = host.call(dict(base, op="evaluate"))
            trips.append(t)
            owns.append(r["eval"]["wall_seconds"])
            cfg = {"steps": ["quantize"], "quantize": {"bits": 4}}
            t, r = host.call(dict(base, op="evaluate", config=cfg, limit=16))
            qtrips.append(t)
            qowns.append(r["eval"]["wall_seconds"] + r["report"]["compress_seconds"])
            host.close()
            env = dict(os.environ, COMPRESSLAB_ISOLATION="off")
            start = time.perf_counter()
            subprocess.run([cli, "eval", model, "--data", data, "--json"], env=env, check=True, capture_output=True)
            peers.append(time.perf_counter() - start)
        m = statistics.median
        print(f"{name:18} {m(starts)*1e3:8.0f}ms {m(trips)*1e3:8.0f}ms {m(owns)*1e3:7.0f}ms {m(trips)*1e3 - m(owns)*1e3:7.1f}ms "
              f"{m(qtrips)*1e3:8.1f}ms {m(qowns)*1e3:7.1f}ms {m(peers)*1e3:28.0f}ms")
        print(f"{'':18} host (start+load+eval) / peer (load+eval in one process): {(m(starts) + m(trips)) / m(peers):.2f}")


if __name__ == "__main__":
    main()
