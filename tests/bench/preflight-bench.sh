#!/usr/bin/env bash
# Preflight fan-out (issue 5: 50 nodes in under 3x the time of one). Brings the lab up with 50 nodes
# (each a network namespace with its own sshd), then times `ebpf-console preflight --lab` for 1, 10 and 50
# nodes in one run, RUNS times each, and prints the median seconds and the ratios to one node.
# Usage: tests/bench/preflight-bench.sh [RUNS]   (root; ./install.sh first; traffic stays inside the lab)
set -euo pipefail
runs="${1:-5}"
nodes_max=50
lab_was_up=no
ebpf-console lab status --json 2>/dev/null | grep -q '"up": true' && lab_was_up=yes
cleanup() { [ "$lab_was_up" = yes ] || ebpf-console lab down >/dev/null 2>&1 || true; }
trap cleanup EXIT
if [ "$lab_was_up" = yes ] && ! ebpf-console lab status --json | grep -q "\"node-$nodes_max\""; then
  echo "preflight-bench: the lab is up with fewer than $nodes_max nodes; run 'ebpf-console lab down' first" >&2
  exit 2
fi
start=$(date +%s.%N)
ebpf-console lab up --nodes "$nodes_max" >/dev/null 2>&1
echo "lab up --nodes $nodes_max: $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
time_preflight() { # time_preflight N -> seconds of one run over node-1..node-N
  local args=() i
  for i in $(seq 1 "$1"); do args+=(--node "node-$i"); done
  local s e rc=0
  s=$(date +%s.%N)
  ebpf-console preflight --lab "${args[@]}" --json >/tmp/preflight-bench.json 2>/dev/null || rc=$?
  e=$(date +%s.%N)
  if [ "$rc" -ne 0 ]; then   # the lab's healthy scenario passes: anything else is a broken run, not a figure
    echo "preflight-bench: preflight over $1 node(s) exited $rc" >&2; cat /tmp/preflight-bench.json >&2; exit 1
  fi
  awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f\n", e - s }'
}
declare -A med
ebpf-console preflight --lab --node node-1 >/dev/null 2>&1 || true   # warm-up: known_hosts, page cache
for n in 1 10 "$nodes_max"; do
  med[$n]=$(for _ in $(seq 1 "$runs"); do time_preflight "$n"; done | median)
done
printf '%-8s %10s %8s\n' nodes seconds ratio
for n in 1 10 "$nodes_max"; do
  printf '%-8s %10s %8s\n' "$n" "${med[$n]}" "$(awk -v a="${med[$n]}" -v b="${med[1]}" 'BEGIN { printf "%.2fx", a / b }')"
done
awk -v a="${med[$nodes_max]}" -v b="${med[1]}" 'BEGIN { r = a / b; printf "target: %d nodes under 3x one node: %s (%.2fx)\n", 50, (r < 3 ? "met" : "NOT met"), r }'
