#!/usr/bin/env bash
# Measures herald end to end on generated calendars: builds the herald
# binary, writes calendars of 10,000 and 100,000 posts of about 2 KB
# (bench.PostBytes), and runs under /usr/bin/time -v, a few times each,
#   herald check DIR                                 (10k and 100k posts)
#   herald preview --format json DIR > FILE          (10k posts, 95 MB of JSON)
#   herald preview --format html --out NEWDIR DIR    (10k posts)
# printing the wall time, the user and system CPU time and the maximum
# resident set size of every run.
#
#   bash pipeline/check/bench/run.sh                  # all of the above, 3 runs each
#   SIZES=10000 PREVIEW_SIZES= RUNS=5 bash pipeline/check/bench/run.sh   # check 10k only
#   SIZES= bash pipeline/check/bench/run.sh           # preview only
#   KEEP=1 bash pipeline/check/bench/run.sh           # keep the calendars (path printed)
#   POST_BYTES=0 bash pipeline/check/bench/run.sh     # the first corpus, posts of ~580 bytes
#   SITES=/dev/shm bash pipeline/check/bench/run.sh   # write the HTML sites there
#
# Each HTML run writes a new site, all removed at the end: on ext4, creating
# files where many were deleted a few minutes before costs the kernel more
# (it skips recently freed inodes), which a run that replaces the last
# run's site would measure rather than herald.
set -euo pipefail
cd "$(dirname "$0")/../../.."

sizes=${SIZES-10000 100000}
preview_sizes=${PREVIEW_SIZES-10000}
runs=${RUNS:-3}
post_bytes=${POST_BYTES:-2048}
work=$(mktemp -d "${TMPDIR:-/tmp}/herald-bench.XXXXXX")
sites=$(mktemp -d "${SITES:-$work}/herald-sites.XXXXXX")
if [ -z "${KEEP:-}" ]; then
	trap 'rm -rf "$work" "$sites"' EXIT
else
	trap 'rm -rf "$sites"' EXIT
	echo "calendars kept in $work"
fi

go build -o "$work/herald" ./cmd/herald
go build -o "$work/gen" ./pipeline/check/bench/gen
echo "$(go version), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# measure LABEL COMMAND...: runs the command under /usr/bin/time and prints
# one line of figures; the command's exit code is not checked (check exits 1:
# the generated calendars hold a few planted mistakes).
measure() {
	local label=$1
	shift
	/usr/bin/time -v "$@" >"$work/out" 2>"$work/time" || true
	local wall cpu_user cpu_sys rss summary
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time")
	cpu_user=$(sed -n 's/.*User time (seconds): //p' "$work/time")
	cpu_sys=$(sed -n 's/.*System time (seconds): //p' "$work/time")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
	summary=$(grep -E '^(checked |herald: )' "$work/time" || true)
	printf '%s: wall %s, user %ss, sys %ss, max RSS %d MiB (%s KB)  [%s]\n' \
		"$label" "$wall" "$cpu_user" "$cpu_sys" $((rss / 1024)) "$rss" "$summary"
}

calendar() {
	local cal="$work/cal-$1"
	if [ ! -d "$cal" ]; then
		"$work/gen" -posts "$1" -post-bytes "$post_bytes" -out "$cal"
		echo "$1 posts, $(du -sh --apparent-size "$cal/posts" | cut -f1) of posts" >&2
	fi
	echo "$cal"
}

for n in $sizes; do
	cal=$(calendar "$n")
	for i in $(seq "$runs"); do
		measure "$(printf '%6d posts, check, run %d' "$n" "$i")" "$work/herald" check "$cal"
	done
done
for n in $preview_sizes; do
	cal=$(calendar "$n")
	for i in $(seq "$runs"); do
		measure "$(printf '%6d posts, preview json, run %d' "$n" "$i")" "$work/herald" preview --format json "$cal"
	done
	for i in $(seq "$runs"); do
		measure "$(printf '%6d posts, preview html, run %d' "$n" "$i")" \
			"$work/herald" preview --format html --out "$sites/site-$n-$i" "$cal"
	done
done
