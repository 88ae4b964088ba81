#!/bin/sh
# Compares gitstore's Commit with `git add` + `git commit` (git CLI) on the
# issue's calendar: 10,000 posts, 10,000 state files, 5,000 commits of
# history, generated once with git fast-import into a temporary directory.
# Both record the same 1,000 changed state files in one commit; the CLI's
# files are written beforehand, outside the timing, while Commit's time
# includes writing them to the worktree and the index.
#
# The target: Commit takes no more than twice as long. Exits 1 otherwise.
#
#   pipeline/publish/gitstore/bench/run.sh             # 10 commits each, 3 rounds
#   BENCHTIME=20x COUNT=5 pipeline/publish/gitstore/bench/run.sh
set -eu
cd "$(dirname "$0")/../../../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export HERALD_BENCH_REPO="$tmp/calendar"
echo "git: $(git --version)"
go test -run '^$' -bench '^Benchmark(Commit1000|GitCLI1000)$' \
	-benchtime "${BENCHTIME:-10x}" -count "${COUNT:-3}" \
	./pipeline/publish/gitstore | tee "$tmp/out"
awk '
/^BenchmarkCommit1000/ { c[nc++] = $3 }
/^BenchmarkGitCLI1000/ { g[ng++] = $3 }
function median(a, n,   i, j, t) {
	for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[int(n / 2)] : (a[n / 2 - 1] + a[n / 2]) / 2
}
END {
	if (!nc || !ng) { print "no benchmark results"; exit 2 }
	mc = median(c, nc); mg = median(g, ng)
	printf "\nmedian of %d rounds, 1,000 files in one commit:\n", nc
	printf "  gitstore Commit (files, index, objects, ref): %7.1f ms\n", mc / 1e6
	printf "  git add state && git commit -q            : %7.1f ms\n", mg / 1e6
	printf "  ratio %.2f (target: at most 2)\n", mc / mg
	exit mc <= 2 * mg ? 0 : 1
}' "$tmp/out"
