#!/usr/bin/env bash
# Installs everything ebpf-console needs on Debian 12 (with the .NET 10 SDK), builds it and puts the
# `ebpf-console` command on the PATH. Idempotent.
#
#   ./install.sh          install and build
#   ./install.sh --test   the same, then run the whole test suite (unit, TUI, integration, e2e)
#
# Runs as root; elevates itself with sudo when started by a normal user.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prefix=${EBPF_CONSOLE_PREFIX:-/opt/ebpf-console}
bindir=${EBPF_CONSOLE_BINDIR:-/usr/local/bin}
run_tests=false

usage() { echo "usage: ./install.sh [--test]" >&2; exit 2; }
for arg in "$@"; do
  case "$arg" in
    --test) run_tests=true ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option '$arg'" >&2; usage ;;
  esac
done

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'install.sh: FAILED: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || die "not root and sudo is not installed: run this script as root"
  echo "install.sh: not root, re-running with sudo"
  exec sudo --preserve-env=PATH,DOTNET_ROOT,EBPF_CONSOLE_PREFIX,EBPF_CONSOLE_BINDIR "$0" "$@"
fi

export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# System packages: capture (libpcap, tcpdump, tshark for the tests), the lab's datapath (iproute2,
# iptables, conntrack), the lab's services (nginx, sshd), the SSH client, curl, and tmux for e2e tests.
# gcc, libpcap-dev and time are for the capture benchmark (tests/bench/capture-bench.sh): its bare
# libpcap read loop is compiled, and peak memory is read with /usr/bin/time; iputils-ping floods the
# lab in tests/bench/ui-flood.sh.
packages=(libpcap0.8 tcpdump tshark iproute2 iptables conntrack nginx openssh-server openssh-client
          curl tmux procps util-linux ca-certificates gcc libc6-dev libpcap-dev time iputils-ping)
step "apt-get update"
apt-get update -q || die "apt-get update"
step "apt-get install ${packages[*]}"
# tshark asks whether non-root users may capture; keep Debian's default (no) without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get install -y -q --no-install-recommends "${packages[@]}" || die "apt-get install ${packages[*]}"
mkdir -p /run/sshd

# kubectl: users (and the e2e tests) drive the lab's API server with the real kubectl. Debian 12 has no
# current kubectl package; take the one an enabled apt repository offers, else the pinned upstream
# release from dl.k8s.io, checked against its published SHA-256.
kubectl_version=v1.32.4
install_kubectl_release() {
  local arch tmp
  arch=$(dpkg --print-architecture)
  tmp=$(mktemp -d)
  curl -fsSL --retry 3 -o "$tmp/kubectl" "https://dl.k8s.io/release/$kubectl_version/bin/linux/$arch/kubectl" &&
    curl -fsSL --retry 3 -o "$tmp/kubectl.sha256" "https://dl.k8s.io/release/$kubectl_version/bin/linux/$arch/kubectl.sha256" &&
    echo "$(cat "$tmp/kubectl.sha256")  $tmp/kubectl" | sha256sum --check --quiet &&
    install -m 0755 "$tmp/kubectl" /usr/local/bin/kubectl
  local rc=$?
  rm -rf "$tmp"
  return $rc
}
step "checking kubectl"
if ! command -v kubectl >/dev/null 2>&1; then
  apt-get install -y -q kubectl 2>/dev/null || install_kubectl_release ||
    die "kubectl is not installed and neither apt nor https://dl.k8s.io gave $kubectl_version; install kubectl 1.32 and rerun"
fi
kubectl version --client 2>/dev/null | head -1

step "checking the .NET SDK"
command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is not installed (dotnet not on PATH); install it and rerun"
dotnet --list-sdks | grep -q '^10\.' || die "the .NET 10 SDK is required; found: $(dotnet --list-sdks | tr '\n' ' ')"

cd "$repo"
step "dotnet restore"
dotnet restore Console.sln || die "dotnet restore"
step "dotnet build (Release)"
dotnet build Console.sln -c Release --no-restore || die "dotnet build"
step "publishing to $prefix"
dotnet publish src/EbpfConsole.Cli -c Release --no-restore -o "$prefix" || die "dotnet publish"
dotnet_path=$(command -v dotnet)
mkdir -p "$bindir"
# The lab needs root; like this script, the command elevates itself with sudo when it is not root.
cat > "$bindir/ebpf-console" <<EOF
#!/bin/sh
# Installed by $repo/install.sh
# The lab and every verb given --lab (its SSH key and state are root's) run as root.
needs_root=no
[ "\$1" = "lab" ] && needs_root=yes
for arg in "\$@"; do [ "\$arg" = "--lab" ] && needs_root=yes; done
if [ "\$needs_root" = yes ] && [ "\$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  # sudo resets the environment: carry over what the console honours.
  exec sudo env \${NO_COLOR:+"NO_COLOR=\$NO_COLOR"} \${EBPF_CONSOLE_LAB_DIR:+"EBPF_CONSOLE_LAB_DIR=\$EBPF_CONSOLE_LAB_DIR"} \\
    "$dotnet_path" "$prefix/ebpf-console.dll" "\$@"
fi
exec "$dotnet_path" "$prefix/ebpf-console.dll" "\$@"
EOF
chmod 755 "$bindir/ebpf-console"
"$bindir/ebpf-console" --version >/dev/null || die "the installed ebpf-console does not start"
echo "installed: $bindir/ebpf-console -> $prefix"

if ! $run_tests; then
  exit 0
fi

# Test projects run one after another: the lab is machine-global (fixed namespace names).
projects=(EbpfConsole.Core.Tests EbpfConsole.Capture.Tests EbpfConsole.Nodes.Tests EbpfConsole.Cluster.Tests EbpfConsole.Lab.Api.Tests EbpfConsole.Lab.Tests EbpfConsole.Tui.Tests
          EbpfConsole.Integration.Tests EbpfConsole.E2e.Tests)
results="$repo/TestResults"
rm -rf "$results"
export EBPF_CONSOLE_BIN="$bindir/ebpf-console"
failed_projects=()
for project in "${projects[@]}"; do
  step "dotnet test $project"
  if ! dotnet test "tests/$project" -c Release --no-build \
        --logger "trx;LogFileName=$project.trx" --results-directory "$results"; then
    failed_projects+=("$project")
  fi
done

# One closing line for the whole suite, summed from the TRX files.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  num() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(num passed))); failed=$((failed + $(num failed)))
  skipped=$((skipped + $(num notExecuted)))
done
echo
if [ ${#failed_projects[@]} -gt 0 ]; then
  echo "install.sh: FAILED test projects: ${failed_projects[*]}" >&2
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ ${#failed_projects[@]} -eq 0 ] && [ "$passed" -gt 0 ]
