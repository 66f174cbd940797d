#!/usr/bin/env bash
# Installs the built .deb into a clean Debian 12 root and uses it there, as a user's machine would:
# apt resolves the package's declared dependencies from the Debian mirror, nothing from this build tree.
#   packaging/install_test.sh [PACKAGE.deb]     (as root; default: cpack the build/ folder first)
# The minimal root (debootstrap --variant=minbase) is made once and cached as a tarball in
# ~/.cache/compresslab/ (COMPRESSLAB_ROOT_CACHE); each run unpacks a fresh copy and deletes it after.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '==> %s\n' "$*"; }
[ "$(id -u)" = 0 ] || { echo "install_test.sh: run as root (debootstrap and chroot need it)" >&2; exit 1; }

deb=${1:-}
if [ -z "$deb" ]; then
  say "Building the package (cpack in build/)"
  (cd build && cpack -G DEB >/dev/null)
  deb=$(ls -t build/compresslab_*.deb | head -1)
fi
deb=$(readlink -f "$deb")
say "Package: $deb ($(du -h "$deb" | cut -f1))"

mirror=${COMPRESSLAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${COMPRESSLAB_ROOT_CACHE:-$HOME/.cache/compresslab/debian12-minbase.tar}
if [ ! -s "$cache" ]; then
  command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
  say "Making a minimal Debian 12 root with debootstrap (once; cached in $cache)"
  fresh=$(mktemp -d /var/tmp/compresslab-debootstrap.XXXXXX)
  debootstrap --variant=minbase bookworm "$fresh" "$mirror" >/dev/null
  mkdir -p "$(dirname "$cache")"
  tar -C "$fresh" -cf "$cache.tmp" . && mv "$cache.tmp" "$cache"
  rm -rf "$fresh"
fi

root=$(mktemp -d /var/tmp/compresslab-root.XXXXXX)
cleanup() {
  for m in dev/pts dev proc sys; do umount -l "$root/$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$root"
}
trap cleanup EXIT
tar -C "$root" -xf "$cache"
for m in proc sys dev dev/pts; do mount --bind "/$m" "$root/$m"; done
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/"
# A tiny TorchScript model and dataset made here with python3-torch (the clean root has no Python).
/usr/bin/python3 - "$root/tmp" <<'EOF'
import json, sys, torch
class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = torch.nn.Linear(8, 16), torch.nn.Linear(16, 3)
    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))
torch.manual_seed(0)
meta = {"schema": 1, "name": "tiny", "task": "classification", "input": {"shape": [1, 8], "dtype": "float32"},
        "labels": ["a", "b", "c"]}
# trace, not script: script needs the class source in a file, and this one comes from stdin
torch.jit.save(torch.jit.trace(Tiny(), torch.zeros(1, 8)), sys.argv[1] + "/tiny.pt", _extra_files={"compresslab.json": json.dumps(meta)})
EOF

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
say "Installing $(basename "$deb") with apt in the clean root (its dependencies from $mirror)"
start=$(date +%s)
in_root apt-get update -q >/dev/null
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")" \
  > "$root/tmp/apt.log" 2>&1 || { tail -30 "$root/tmp/apt.log"; exit 1; }
say "Installed in $(( $(date +%s) - start )) s: $(grep -c '^Setting up' "$root/tmp/apt.log") packages set up"

say "compresslab-cli --version"
in_root compresslab-cli --version
say "compresslab-cli inspect /tmp/tiny.pt"
in_root compresslab-cli inspect /tmp/tiny.pt
say "compresslab-cli compress /tmp/tiny.pt --bits 4 --dry-run --no-history"
in_root compresslab-cli compress /tmp/tiny.pt --bits 4 --dry-run --no-history | tail -4
say "compresslab --version (the window, offscreen)"
in_root env QT_QPA_PLATFORM=offscreen compresslab --version
say "compresslab /tmp/tiny.pt --screenshot (the window opens the model, in German; saved as build/install-test-window.png)"
in_root env QT_QPA_PLATFORM=offscreen LANGUAGE=de LANG=de_DE.UTF-8 compresslab /tmp/tiny.pt --screenshot /tmp/window.png 2>&1 |
  grep -v XDG_RUNTIME_DIR || true
[ -s "$root/tmp/window.png" ] || { echo "the window did not save its screenshot" >&2; exit 1; }
mkdir -p build && cp "$root/tmp/window.png" build/install-test-window.png
say "Installed files"
for f in /usr/share/applications/org.compresslab.CompressLab.desktop \
         /usr/share/icons/hicolor/scalable/apps/org.compresslab.CompressLab.svg \
         /usr/share/metainfo/org.compresslab.CompressLab.metainfo.xml \
         /usr/share/man/man1/compresslab.1.gz /usr/share/man/man1/compresslab-cli.1.gz \
         /usr/share/compresslab/tools/zoo/build.py /usr/lib/compresslab/compresslab-cli-worker; do
  [ -e "$root$f" ] || { echo "missing: $f" >&2; exit 1; }
  echo "  $f"
done
ls "$root/usr/share/compresslab/translations/"*.qm >/dev/null 2>&1 || { echo "missing: translations (.qm)" >&2; exit 1; }
echo "  /usr/share/compresslab/translations/$(cd "$root/usr/share/compresslab/translations" && ls *.qm | tr '\n' ' ')"
say "install test passed"
