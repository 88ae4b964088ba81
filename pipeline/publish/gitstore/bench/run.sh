#!/bin/sh
# Compares gitstore's Commit with `git add` + `git commit` (git CLI) on the
# issue's calendar: 10,000 posts, 10,000 state files, 5,000 commits of
# history, generated once with git fast-import into a temporary directory.
# Both record the same 1,000 changed state files in one commit; the CLI's
# files are written beforehand, outside the timing, while Commit's time
# includes writing them to the worktree and the index.
#
# BenchmarkCompare1000 alternates the two commit by commit, so that both
# see the same load; the target is a ratio of at most 2. Exits 1 otherwise.
# BenchmarkCommit1000 and BenchmarkGitCLI1000 give each one alone.
#
#   pipeline/publish/gitstore/bench/run.sh             # 10 commits, 3 rounds
#   BENCHTIME=20x COUNT=5 pipeline/publish/gitstore/bench/run.sh
set -eu
cd "$(dirname "$0")/../../../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export HERALD_BENCH_REPO="$tmp/calendar"
echo "git: $(git --version)"
go test -run '^$' -bench '^Benchmark(Compare1000|Commit1000|GitCLI1000)$' \
	-benchtime "${BENCHTIME:-10x}" -count "${COUNT:-3}" \
	./pipeline/publish/gitstore | tee "$tmp/out"
awk '
/^BenchmarkCompare1000/ {
	for (i = 3; i < NF; i++) {
		if ($(i + 1) == "gitstore-ms/op") o[n] = $i
		if ($(i + 1) == "gitcli-ms/op") g[n] = $i
		if ($(i + 1) == "ratio") r[n] = $i
	}
	n++
}
function median(a, n,   i, j, t) {
	for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[int(n / 2)] : (a[n / 2 - 1] + a[n / 2]) / 2
}
END {
	if (!n) { print "no benchmark results"; exit 2 }
	mr = median(r, n); mo = median(o, n); mg = median(g, n)
	printf "\nmedian of %d rounds, 1,000 files in one commit, alternating:\n", n
	printf "  gitstore Commit (objects, ref, files, index): %7.1f ms\n", mo
	printf "  git add state && git commit -q             : %7.1f ms\n", mg
	printf "  ratio %.2f (target: at most 2)\n", mr
	exit mr <= 2 ? 0 : 1
}' "$tmp/out"
