#!/usr/bin/env bash
# Capture benchmark (issue 3): generates a 2-million-packet NodePort capture (three points, pcapng),
# then runs, one after another on the same file: our `analyze`, `tcpdump -n -r FILE` to /dev/null, and
# a bare libpcap read loop (pcap_read_loop.c), each pinned to one core (taskset -c 0); prints
# packets/s (wall time, process start included), peak RSS and the ratios.
# Usage: tests/bench/capture-bench.sh [PACKETS]   (needs ./install.sh first: gcc, libpcap-dev, time)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
packets="${1:-2000000}"
work="${EBPF_CONSOLE_BENCH_DIR:-/tmp/ebpf-console-bench}"
mkdir -p "$work"
file="$work/nodeport-$packets.pcapng"

need() { command -v "$1" >/dev/null 2>&1 || { echo "capture-bench: $1 is missing; run ./install.sh" >&2; exit 2; }; }
need gcc; need tcpdump; need dotnet; [ -x /usr/bin/time ] || { echo "capture-bench: /usr/bin/time is missing; run ./install.sh" >&2; exit 2; }

echo "building (Release)…" >&2
dotnet build "$repo/tests/EbpfConsole.Benchmarks" -c Release -v q -nologo >/dev/null
dotnet build "$repo/src/EbpfConsole.Cli" -c Release -v q -nologo >/dev/null
gcc -O2 -o "$work/pcap_read_loop" "$here/pcap_read_loop.c" -lpcap

if [ ! -s "$file" ]; then
  echo "generating $packets packets into $file…" >&2
  dotnet "$repo/tests/EbpfConsole.Benchmarks/bin/Release/net10.0/EbpfConsole.Benchmarks.dll" generate "$file" "$packets"
fi

# run NAME CMD…: wall seconds and peak RSS (KiB) of one run, output discarded
run() {
  local name="$1"; shift
  local stats="$work/$name.time"
  /usr/bin/time -f "%e %M" -o "$stats" taskset -c 0 "$@" >/dev/null 2>"$work/$name.err" || {
    # analyze exits 1 when it cannot classify; anything else is a failure of the run
    local rc=$?; [ "$name" = analyze ] && [ $rc -eq 1 ] || { echo "capture-bench: $name failed (exit $rc): $(tail -2 "$work/$name.err")" >&2; exit 1; }
  }
  read -r secs rss < <(tail -1 "$stats")
  echo "$name $secs $rss"
}

results=()
results+=("$(run analyze dotnet "$repo/src/EbpfConsole.Cli/bin/Release/net10.0/ebpf-console.dll" analyze "$file" --json)")
results+=("$(run tcpdump tcpdump -n -r "$file")")
# tcpdump's text decode slows down as it meets more connections (its per-connection tables are lists), so its
# rate on the whole file depends on the file's size: its rate on the first 200,000 packets is shown as well.
head_packets=$(( packets < 200000 ? packets : 200000 ))
results+=("$(run tcpdump-head tcpdump -n -c "$head_packets" -r "$file")")
results+=("$(run libpcap "$work/pcap_read_loop" "$file")")

printf '%-13s %10s %14s %12s\n' tool seconds packets/s "peak RSS MB"
declare -A rate
for line in "${results[@]}"; do
  read -r name secs rss <<<"$line"
  n=$packets; [ "$name" = tcpdump-head ] && n=$head_packets
  r=$(awk -v p="$n" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? p / s : 0) }')
  rate[$name]=$r
  printf '%-13s %10s %14s %12s\n' "$name" "$secs" "$r" "$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')"
done
awk -v a="${rate[analyze]}" -v t="${rate[tcpdump]}" -v h="${rate[tcpdump-head]}" -v l="${rate[libpcap]}" 'BEGIN {
  printf "analyze / tcpdump -n -r : %.1fx (whole file), %.1fx (tcpdump on its first packets)\n", a / t, a / h
  printf "analyze / bare libpcap  : %.2fx\n", a / l
}'
echo "file: $file ($(du -h "$file" | cut -f1)); machine: $(nproc) cores; analyze runs on one thread"
