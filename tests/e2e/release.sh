#!/usr/bin/env bash
# The Debian release whose Xen the e2e suite runs, and apt pointed at it
# without touching the host's apt set-up: a private sources list (the host's
# own entries, the host's codename replaced by the release's, so the same
# mirror and security archive) and private lists, cache and state in the
# e2e cache. Sourced by fetch.sh and buildroot.sh; also a command:
#
#   release.sh codename          the release selected (XCX_E2E_RELEASE, else
#                                the host's VERSION_CODENAME)
#   release.sh xen-version [R]   the Xen version R ships, e.g. 4.20 (from
#                                the hypervisor package xen-system-amd64
#                                depends on)
#   release.sh mirror            the archive URI debootstrap uses
#
# Every failure says what failed and exits non-zero.

xcx_log() { echo "e2e ${XCX_LOG_TAG:-release}: $*" >&2; }
xcx_die() {
  xcx_log "$*"
  exit 1
}

xcx_host_codename() {
  # shellcheck disable=SC1091
  (. /etc/os-release && echo "${VERSION_CODENAME:-}")
}

# The release under test: XCX_E2E_RELEASE, else the host's.
xcx_release() {
  local r=${XCX_E2E_RELEASE:-}
  [ -n "$r" ] && [ "$r" != host ] || r=$(xcx_host_codename)
  [ -n "$r" ] || xcx_die "no VERSION_CODENAME in /etc/os-release: set XCX_E2E_RELEASE"
  echo "$r"
}

xcx_cache() {
  local c=${XCX_E2E_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/xenctrl-ext-e2e}
  mkdir -p "$c" || xcx_die "cannot create the e2e cache $c"
  (cd "$c" && pwd)
}

# The host's apt sources (deb822 and one-line), enabled files only.
xcx_host_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
    /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && echo "$f"
  done
}

# The archive URI of the host's main (non-security) Debian entry.
xcx_mirror() {
  local host uri
  [ -n "${XCX_E2E_MIRROR:-}" ] && { echo "$XCX_E2E_MIRROR"; return; }
  host=$(xcx_host_codename)
  uri=$(xcx_host_sources | xargs -r cat 2>/dev/null | awk -v c="$host" '
    /^[[:space:]]*#/ { next }
    /^URIs:/ { u = $2 }
    /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == c && u !~ /security/) { print u; exit } }
    /^deb[[:space:]]/ && $0 !~ /security/ { for (i = 2; i <= NF; i++)
      if ($i == c) { print $(i - 1); exit } }')
  echo "${uri:-http://deb.debian.org/debian}"
}

# Writes DIR/sources.list.d/xcx.{sources,list} for release R.
xcx_write_sources() {
  local r=$1 dir=$2 host f n=0
  host=$(xcx_host_codename)
  mkdir -p "$dir/sources.list.d"
  rm -f "$dir"/sources.list.d/*
  for f in $(xcx_host_sources); do
    n=$((n + 1))
    case $f in
    *.sources) sed -E "/^Suites:/s/\\b$host(-|\\b)/$r\\1/g" "$f" >"$dir/sources.list.d/$n.sources" ;;
    *) sed -E "/^deb/s/\\b$host(-|\\b)/$r\\1/g" "$f" >"$dir/sources.list.d/$n.list" ;;
    esac
  done
  [ $n -gt 0 ] || printf 'deb %s %s main\n' "$(xcx_mirror)" "$r" \
    >"$dir/sources.list.d/0.list"
}

# APT options of release R's private state (an array named XCX_APT).
xcx_apt_init() {
  local r=$1 a
  a="$(xcx_cache)/apt-$r"
  mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$a/etc"
  xcx_write_sources "$r" "$a/etc"
  : >"$a/status"
  XCX_APT=(-o "Dir::Etc::sourcelist=/dev/null"
    -o "Dir::Etc::sourceparts=$a/etc/sources.list.d"
    -o "Dir::Etc::preferencesparts=/dev/null"
    -o "Dir::State::lists=$a/lists" -o "Dir::State::status=$a/status"
    -o "Dir::Cache=$a/cache" -o "APT::Sandbox::User=root" -q)
  # Lists older than a day are refreshed; without network, old lists are
  # used with a warning, and no lists at all is an error.
  if [ -z "$(find "$a/lists" -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null)" ]; then
    if ! apt-get "${XCX_APT[@]}" update >"$a/update.log" 2>&1; then
      if ls "$a"/lists/*_Packages* >/dev/null 2>&1; then
        xcx_log "apt-get update for $r failed (see $a/update.log); using older lists"
      else
        cat "$a/update.log" >&2
        xcx_die "apt-get update for release '$r' failed: no package lists (sources: $a/etc/sources.list.d)"
      fi
    fi
  fi
}

# The package PKG's first dependency whose name matches the regex RE.
xcx_dep() {
  apt-cache "${XCX_APT[@]}" depends "$1" 2>/dev/null |
    awk -v re="$2" '$1 ~ /Depends:$/ && $2 ~ re { print $2; exit }'
}

# A key for PKG... as the archive offers them now: a hash of SALT and of the
# .deb file names apt would fetch, which carry the versions. Dies naming what
# apt cannot resolve.
xcx_versions_key() {
  local salt=$1 uris
  shift
  uris=$(apt-get "${XCX_APT[@]}" download --print-uris "$@" 2>&1) ||
    xcx_die "apt cannot resolve: $(grep -E '^E:' <<<"$uris" | tr '\n' ' ')"
  (
    echo "$salt"
    awk '{print $2}' <<<"$uris" | sort
  ) | sha256sum | cut -c1-16
}

# The Xen version release R ships (4.17, 4.20, ...).
xcx_xen_version() {
  local r=$1 hv
  xcx_apt_init "$r"
  hv=$(xcx_dep xen-system-amd64 '^xen-hypervisor-[0-9.]+-amd64$')
  [ -n "$hv" ] || xcx_die "release '$r': package xen-system-amd64 names no xen-hypervisor-X.Y-amd64"
  hv=${hv#xen-hypervisor-}
  echo "${hv%-amd64}"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case ${1:-} in
  codename) xcx_release ;;
  xen-version) XCX_E2E_RELEASE=${2:-${XCX_E2E_RELEASE:-}} && xcx_xen_version "$(xcx_release)" ;;
  mirror) xcx_mirror ;;
  *) echo "usage: release.sh codename | xen-version [RELEASE] | mirror" >&2; exit 2 ;;
  esac
fi
