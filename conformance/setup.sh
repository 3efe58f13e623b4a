#!/usr/bin/env bash
# Idempotent setup of the conformance harness (runs as root, no stdin; CI-safe).
#  - host: qemu-system-ppc (QEMU 7.2 on bookworm), cpio, binutils (readelf)
#  - Debian ppc64el: newest linux-image-*-powerpc64le (kernel + kvm.ko + kvm-hv.ko),
#    busybox-static, qemu-system-ppc + shared-library closure (for the nested L1/L2 images)
#  - nested images only: the ppc64el cross compiler (gcc-powerpc64le-linux-gnu + libc6-dev-ppc64el-cross,
#    which brings linux/kvm.h) for guest/kvm-probe.c, the probe each hypervisor level runs
#  - builds the initramfs images, each set in a directory named by the hash of its inputs
# Everything lands in the cache dir, outside the clone, so a fresh clone reuses it; clones with other
# inputs (another init or probe) get their own image directory and never replace one in use.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${SPAPR_CONFORMANCE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spapr-planner/conformance}"
NESTED="${CONFORMANCE_NESTED:-1}"
mkdir -p "$CACHE"
log() { echo "[setup] $*" >&2; }
export DEBIAN_FRONTEND=noninteractive

SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"

# ---- 1. host packages -------------------------------------------------------------------
need=()
command -v qemu-system-ppc64 >/dev/null || need+=(qemu-system-ppc)
command -v cpio >/dev/null || need+=(cpio)
command -v readelf >/dev/null || need+=(binutils)
command -v dpkg-deb >/dev/null || need+=(dpkg)
if [ "$NESTED" = 1 ]; then
  command -v powerpc64le-linux-gnu-gcc >/dev/null || need+=(gcc-powerpc64le-linux-gnu)
  # a Recommends of the compiler: --no-install-recommends needs it named (libc, linux/kvm.h)
  [ -e /usr/powerpc64le-linux-gnu/include/linux/kvm.h ] || need+=(libc6-dev-ppc64el-cross)
fi
if [ ${#need[@]} -gt 0 ]; then
  log "installing host packages: ${need[*]}"
  if ! $SUDO apt-get install -y -q --no-install-recommends "${need[@]}" </dev/null >/dev/null 2>&1; then
    $SUDO apt-get update -q </dev/null >/dev/null
    $SUDO apt-get install -y -q --no-install-recommends "${need[@]}" </dev/null >/dev/null
  fi
fi

# ---- 2. private ppc64el apt state ------------------------------------------------------
APTDIR="$CACHE/apt"
mkdir -p "$APTDIR/lists/partial" "$APTDIR/archives/partial" "$CACHE/debs"
: > "$APTDIR/status"
AO=(-o APT::Architecture=ppc64el -o APT::Architectures=ppc64el
    -o Dir::State::Lists="$APTDIR/lists" -o Dir::State::Status="$APTDIR/status"
    -o Dir::Cache="$APTDIR" -o Dir::Cache::archives="$APTDIR/archives"
    -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
lists_fresh() {
  ls "$APTDIR"/lists/*_binary-ppc64el_Packages* >/dev/null 2>&1 || return 1
  [ -z "$(find "$APTDIR/lists" -maxdepth 1 -name '*InRelease' -mmin +1440 2>/dev/null)" ]
}
if [ "${CONFORMANCE_REFRESH:-0}" = 1 ] || ! lists_fresh; then
  log "apt-get update (ppc64el, private lists)"
  # A partially synced mirror (e.g. security) must not stop us: keep what downloaded.
  apt-get "${AO[@]}" update -q </dev/null >"$APTDIR/update.log" 2>&1 || log "apt-get update reported errors (see $APTDIR/update.log); continuing with the lists that downloaded"
  ls "$APTDIR"/lists/*_binary-ppc64el_Packages* >/dev/null 2>&1 || { cat "$APTDIR/update.log" >&2; exit 1; }
fi

# newest kernel flavour package (by package version)
KPKG="${CONFORMANCE_KERNEL_PKG:-}"
if [ -z "$KPKG" ]; then
  best=""; bestv=""
  for p in $(apt-cache "${AO[@]}" search --names-only '^linux-image-[0-9][0-9.]*-[0-9]+-powerpc64le$' | awk '{print $1}'); do
    v=$(apt-cache "${AO[@]}" show "$p" 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -1)
    if [ -z "$bestv" ] || dpkg --compare-versions "$v" gt "$bestv"; then best=$p; bestv=$v; fi
  done
  KPKG=$best
fi
[ -n "$KPKG" ] || { log "no linux-image-*-powerpc64le package found"; exit 1; }
KREL=${KPKG#linux-image-}

download() { # download the candidate versions not yet in $CACHE/debs (one apt-cache call)
  local missing=() p v
  while read -r p v; do
    ls "$CACHE/debs/${p}_${v//:/%3a}_"*.deb >/dev/null 2>&1 || missing+=("$p")
  done < <(apt-cache "${AO[@]}" show --no-all-versions "$@" 2>/dev/null | awk '/^Package: /{p=$2} /^Version: /{print p, $2}')
  if [ ${#missing[@]} -gt 0 ]; then
    log "downloading ${#missing[@]} ppc64el package(s)"
    (cd "$CACHE/debs" && apt-get "${AO[@]}" download -q "${missing[@]}" </dev/null >/dev/null 2>>"$APTDIR/download.log")
  fi
}
debof() { # newest downloaded .deb of a package
  ls "$CACHE/debs/${1}_"*.deb 2>/dev/null | sort -V | tail -1
}

download "$KPKG" busybox-static

# ---- 3. unpack kernel + busybox ----------------------------------------------------------
KDIR="$CACHE/kernel/$KREL"
if [ ! -e "$KDIR/.done" ]; then
  rm -rf "$KDIR"; mkdir -p "$KDIR"
  dpkg-deb -x "$(debof "$KPKG")" "$KDIR"
  touch "$KDIR/.done"
fi
KVER=$(dpkg-deb -f "$(debof "$KPKG")" Version)
BBDIR="$CACHE/busybox"
if [ ! -e "$BBDIR/.done" ]; then
  rm -rf "$BBDIR"; mkdir -p "$BBDIR"; dpkg-deb -x "$(debof busybox-static)" "$BBDIR"; touch "$BBDIR/.done"
fi
VMLINUX="$KDIR/boot/vmlinux-$KREL"
MODDIR="$KDIR/lib/modules/$KREL/kernel/arch/powerpc/kvm"
[ -f "$VMLINUX" ] && [ -f "$MODDIR/kvm.ko" ] && [ -f "$MODDIR/kvm-hv.ko" ] || { log "kernel package lacks vmlinux or kvm modules"; exit 1; }

# ---- 4. images ---------------------------------------------------------------------------
# Each image set lives in a directory named by the hash of everything that goes into it, built under
# a temporary name and renamed in one step: a run that started with another set (another clone's
# init or probe) keeps its files, and a warm cache rebuilds when any input changes.
IMG="$CACHE/images"; mkdir -p "$IMG"
hash16() { sha256sum | cut -c1-16; }
SMALL_STAMP="$(cat "$HERE/guest/init" "$HERE/setup.sh" | hash16)-$KREL"
mkcpio() { (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$2"; }
base_tree() { # $1 = dir
  mkdir -p "$1"/{bin,proc,sys,dev,tmp,images,modules}
  cp "$BBDIR/bin/busybox" "$1/bin/busybox"
  cp "$HERE/guest/init" "$1/init"; chmod 755 "$1/init"
}
# publish DIR STAGING: atomic rename; another setup that published the same inputs first wins.
publish() { touch "$2/.used"; mv -T "$2" "$1" 2>/dev/null || rm -rf "$2"; }
SMALL_DIR="$IMG/small-$SMALL_STAMP"
if [ ! -e "$SMALL_DIR/small.cpio" ]; then
  log "building small initramfs ($SMALL_DIR)"
  S=$(mktemp -d "$IMG/.small.XXXXXX"); chmod 755 "$S"; T=$(mktemp -d)
  base_tree "$T"; mkcpio "$T" "$S/small.cpio"; rm -rf "$T"
  publish "$SMALL_DIR" "$S"
fi
touch "$SMALL_DIR/.used"

QEMU_PPC_VER=""
PROBE_BIN=""
NESTED_DIR=""
if [ "$NESTED" = 1 ]; then
  # closure of Debian's ppc64el qemu-system-ppc, as apt sees it
  mapfile -t CLOS < <(apt-cache "${AO[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts \
      --no-breaks --no-replaces --no-enhances qemu-system-ppc | grep -v '^ ' | grep -v '^<' | sort -u)
  download "${CLOS[@]}"
  QEMU_PPC_VER=$(dpkg-deb -f "$(debof qemu-system-ppc)" Version)
  QROOT="$CACHE/qemu-ppc64el/$QEMU_PPC_VER"
  if [ ! -e "$QROOT/.done" ]; then
    log "unpacking ${#CLOS[@]} ppc64el packages"
    rm -rf "$QROOT"; mkdir -p "$QROOT"
    for p in "${CLOS[@]}"; do d=$(debof "$p"); [ -n "$d" ] && dpkg-deb -x "$d" "$QROOT"; done
    touch "$QROOT/.done"
  fi
  # the KVM probe (guest/kvm-probe.c), static ppc64le, named by the hash of its source and toolchain
  CC=powerpc64le-linux-gnu-gcc
  TOOLCHAIN="$($CC --version | head -1); $(dpkg-query -W -f '${Package} ${Version} ' libc6-dev-ppc64el-cross linux-libc-dev-ppc64el-cross 2>/dev/null | sed 's/ $//')"
  PROBE_HASH=$( { cat "$HERE/guest/kvm-probe.c"; echo "$TOOLCHAIN"; } | hash16)
  PROBE_BIN="$CACHE/probe/kvm-probe-$PROBE_HASH"
  if [ ! -x "$PROBE_BIN" ]; then
    log "compiling guest/kvm-probe.c ($TOOLCHAIN)"
    mkdir -p "$CACHE/probe"
    P=$(mktemp "$CACHE/probe/.kvm-probe.XXXXXX")
    $CC -static -O2 -Wall -o "$P" "$HERE/guest/kvm-probe.c" || { rm -f "$P"; exit 1; }
    chmod 755 "$P"; mv -f "$P" "$PROBE_BIN"
  fi
  NESTED_DIR="$IMG/nested-$( { echo "$SMALL_STAMP $QEMU_PPC_VER $PROBE_HASH"; } | hash16)"
  if [ ! -e "$NESTED_DIR/l1.cpio" ]; then
    log "building nested images (mid = hypervisor level, l1 = mid + mid.cpio) in $NESTED_DIR"
    S=$(mktemp -d "$IMG/.nested.XXXXXX"); chmod 755 "$S"; T=$(mktemp -d); base_tree "$T"
    mkdir -p "$T/usr/bin" "$T/lib/powerpc64le-linux-gnu" "$T/lib64" "$T/usr/share/qemu"
    cp "$QROOT/usr/bin/qemu-system-ppc64" "$T/usr/bin/"
    ln -s /usr/bin/qemu-system-ppc64 "$T/bin/qemu-system-ppc64"
    cp "$PROBE_BIN" "$T/bin/kvm-probe"
    for f in slof.bin vof.bin; do [ -e "$QROOT/usr/share/qemu/$f" ] && cp -L "$QROOT/usr/share/qemu/$f" "$T/usr/share/qemu/"; done
    # shared-library closure via readelf -d (NEEDED), resolved inside the unpacked packages
    declare -A seen=(); queue=("$QROOT/usr/bin/qemu-system-ppc64")
    find_lib() { for d in lib/powerpc64le-linux-gnu usr/lib/powerpc64le-linux-gnu lib usr/lib; do
        [ -e "$QROOT/$d/$1" ] && { echo "$QROOT/$d/$1"; return; }; done; }
    while [ ${#queue[@]} -gt 0 ]; do
      f=${queue[0]}; queue=("${queue[@]:1}")
      for n in $(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        [ -n "${seen[$n]:-}" ] && continue; seen[$n]=1
        l=$(find_lib "$n"); [ -n "$l" ] || { log "library not found in closure: $n"; exit 1; }
        cp -L "$l" "$T/lib/powerpc64le-linux-gnu/$n"; queue+=("$l")
      done
    done
    cp -L "$QROOT/lib/powerpc64le-linux-gnu/ld64.so.2" "$T/lib64/ld64.so.2"
    cp "$MODDIR/kvm.ko" "$MODDIR/kvm-hv.ko" "$T/modules/"
    cp -L "$VMLINUX" "$T/images/vmlinux"
    cp "$SMALL_DIR/small.cpio" "$T/images/small.cpio"
    mkcpio "$T" "$S/mid.cpio"
    cp "$S/mid.cpio" "$T/images/mid.cpio"
    mkcpio "$T" "$S/l1.cpio"
    rm -rf "$T"
    publish "$NESTED_DIR" "$S"
    log "libraries in L1 image: ${#seen[@]}"
  fi
  touch "$NESTED_DIR/.used"
fi
# image sets no setup has used for two weeks (their inputs are gone from every clone that ran since),
# and staging directories a setup that died left behind
find "$IMG" -mindepth 2 -maxdepth 2 -name .used -mtime +14 2>/dev/null | while read -r u; do rm -rf "$(dirname "$u")"; done
find "$IMG" -mindepth 1 -maxdepth 1 -name '.*.??????' -mmin +1440 -exec rm -rf {} + 2>/dev/null || true

# ---- 5. versions -----------------------------------------------------------------------------
HOST_QEMU=$(qemu-system-ppc64 --version | head -1)
{
  echo "CACHE=$CACHE"
  echo "HOST_QEMU=\"$HOST_QEMU\""
  echo "KERNEL_PKG=$KPKG"
  echo "KERNEL_RELEASE=$KREL"
  echo "KERNEL_VERSION=$KVER"
  echo "VMLINUX=$VMLINUX"
  echo "SMALL_CPIO=$SMALL_DIR/small.cpio"
  echo "L1_CPIO=$([ "$NESTED" = 1 ] && echo "$NESTED_DIR/l1.cpio")"
  echo "L1_QEMU_VERSION=$QEMU_PPC_VER"
  echo "KVM_PROBE=$PROBE_BIN"
} > "$CACHE/.versions.env.$$"
# versions.env (the newest setup's), and the caller's own copy: run.sh hands the runner the one its setup wrote
mv -f "$CACHE/.versions.env.$$" "$CACHE/versions.env"
[ -n "${CONFORMANCE_VERSIONS_OUT:-}" ] && cp "$CACHE/versions.env" "$CONFORMANCE_VERSIONS_OUT"
echo "L0 QEMU (host, TCG): $HOST_QEMU"
echo "Guest kernel:        $KPKG $KVER ($KREL)"
[ "$NESTED" = 1 ] && echo "L1/L2 QEMU (ppc64el): qemu-system-ppc $QEMU_PPC_VER ($(du -sh "$NESTED_DIR/l1.cpio" | cut -f1) L1 initramfs)"
[ "$NESTED" = 1 ] && echo "KVM probe:           $PROBE_BIN ($TOOLCHAIN)"
echo "Cache:               $CACHE"
