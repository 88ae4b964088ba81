#!/usr/bin/env bash
# Measures herald check end to end: builds the herald binary, writes
# generated calendars of 10,000 and 100,000 posts, and checks each a few
# times under /usr/bin/time -v, printing the wall time and the maximum
# resident set size of every run.
#
#   bash pipeline/check/bench/run.sh                  # 10k and 100k, 3 runs each
#   SIZES="10000" RUNS=5 bash pipeline/check/bench/run.sh
#   KEEP=1 bash pipeline/check/bench/run.sh           # keep the calendars (path printed)
#   POST_BYTES=0 bash pipeline/check/bench/run.sh     # the first corpus, posts of ~580 bytes
#
# Posts are about 2 KB (bench.PostBytes), as the targets say.
set -euo pipefail
cd "$(dirname "$0")/../../.."

sizes=${SIZES:-10000 100000}
runs=${RUNS:-3}
post_bytes=${POST_BYTES:-2048}
work=$(mktemp -d "${TMPDIR:-/tmp}/herald-bench.XXXXXX")
if [ -z "${KEEP:-}" ]; then
	trap 'rm -rf "$work"' EXIT
else
	echo "calendars kept in $work"
fi

go build -o "$work/herald" ./cmd/herald
go build -o "$work/gen" ./pipeline/check/bench/gen
echo "$(go version), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

for n in $sizes; do
	cal="$work/cal-$n"
	"$work/gen" -posts "$n" -post-bytes "$post_bytes" -out "$cal"
	echo "$n posts, $(du -sh --apparent-size "$cal/posts" | cut -f1) of posts"
	for i in $(seq "$runs"); do
		# check exits 1: the generated calendars hold a few planted mistakes.
		/usr/bin/time -v "$work/herald" check "$cal" >"$work/out" 2>"$work/time" || true
		wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time")
		cpu_user=$(sed -n 's/.*User time (seconds): //p' "$work/time")
		cpu_sys=$(sed -n 's/.*System time (seconds): //p' "$work/time")
		rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
		summary=$(grep '^checked ' "$work/time" || true)
		printf '%6d posts, run %d: wall %s, user %ss, sys %ss, max RSS %d MiB (%s KB)  [%s]\n' \
			"$n" "$i" "$wall" "$cpu_user" "$cpu_sys" $((rss / 1024)) "$rss" "$summary"
	done
done
