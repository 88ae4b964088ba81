#!/usr/bin/env bash
# Compares a cold `herald check` with Hugo rendering the same posts, side
# by side: writes the bench calendar (10,000 posts of about 2 KB by
# default), turns its posts into a Hugo site (posts/ as content/, a layout
# that renders each post's Markdown into an HTML page, no taxonomy, feed or
# sitemap pages), then runs, RUNS times, `herald check CAL` and
# `hugo --quiet` one after the other, so that the load of the machine
# weighs on both alike. Each run is a new process, the page cache warm.
# It prints every run's wall time, user and system CPU time and max RSS,
# then the medians and herald's time as a fraction of Hugo's: the median
# of each pair's ratio, wall and CPU (user + sys).
#
#   HUGO=/path/to/hugo bash pipeline/check/bench/hugo.sh        # 10k posts, 5 pairs
#   SIZES="10000 100000" RUNS=3 bash pipeline/check/bench/hugo.sh
#   HERALD=/tmp/h-before bash pipeline/check/bench/hugo.sh       # another herald binary
#   BEFORE=/tmp/h-before bash pipeline/check/bench/hugo.sh       # and this one too, each round
#
# Hugo is found as $HUGO, else on PATH, else in $(go env GOPATH)/bin.
# Installing it (see README.md, "Hugo side by side"):
#   cd /tmp && GOFLAGS=-mod=mod go install github.com/gohugoio/hugo@v0.165.0
# Each Hugo run writes its site in a new folder (as run.sh does for
# preview's HTML), all removed at the end.
set -euo pipefail
cd "$(dirname "$0")/../../.."

sizes=${SIZES-10000}
runs=${RUNS:-5}
hugo=${HUGO:-$(command -v hugo || echo "$(go env GOPATH)/bin/hugo")}
if [ ! -x "$hugo" ]; then
	echo "hugo.sh: no hugo binary (set HUGO=/path/to/hugo, or install it: see pipeline/check/bench/README.md)" >&2
	exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/herald-hugo.XXXXXX")
trap 'rm -rf "$work"' EXIT

herald=${HERALD:-}
if [ -z "$herald" ]; then
	go build -o "$work/herald" ./cmd/herald
	herald=$work/herald
fi
go build -o "$work/gen" ./pipeline/check/bench/gen
echo "$(go version), $("$hugo" version | cut -d' ' -f1-2), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# site DIR CAL: a Hugo site whose content is CAL's posts. Dates are kept
# (RFC 3339 or "2026-12-01 09:00", which Hugo reads too); buildFuture
# renders the posts dated after today, which is most of them. Herald's
# other fields (networks, media, variants) are parameters Hugo ignores.
site() {
	mkdir -p "$1/layouts" "$1/content"
	cp -r "$2/posts" "$1/content/posts"
	cat >"$1/hugo.toml" <<-'EOF'
		baseURL = "https://example.org/"
		title = "bench"
		buildFuture = true
		disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]
	EOF
	cat >"$1/layouts/page.html" <<-'EOF'
		<!doctype html>
		<html lang="fr"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
		<body><article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02 15:04" }}</time>
		{{ .Content }}</article></body></html>
	EOF
	for kind in home section; do
		echo '<!doctype html><title>{{ .Title }}</title><p>{{ len .Pages }} pages</p>' >"$1/layouts/$kind.html"
	done
}

# measure NAME COMMAND...: runs the command under /usr/bin/time, prints
# one line and appends "NAME wall cpu" to $work/figures; the exit code is
# not checked (check exits 1: the calendars hold a few planted mistakes).
measure() {
	local name=$1
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >"$work/out" 2>"$work/err" || true
	if [ "$name" = hugo ] && [ -s "$work/err" ]; then
		echo "hugo said:" >&2
		head -5 "$work/err" >&2
		exit 1
	fi
	read -r wall user sys rss < <(tail -n1 "$work/time") # after "Command exited with non-zero status 1"
	printf '%-6s wall %5.2f s, user %5.2f s, sys %5.2f s, max RSS %4d MiB\n' \
		"$name" "$wall" "$user" "$sys" $((rss / 1024))
	echo "$name $wall $(echo "$user + $sys" | bc)" >>"$work/figures"
}

for n in $sizes; do
	cal=$work/cal-$n
	"$work/gen" -posts "$n" -out "$cal"
	site "$work/site-$n" "$cal"
	echo "$n posts ($(du -sh --apparent-size "$cal/posts" | cut -f1)), $runs rounds:"
	: >"$work/figures"
	for i in $(seq "$runs"); do
		if [ -n "${BEFORE:-}" ]; then
			measure before "$BEFORE" check "$cal"
		fi
		measure herald "$herald" check "$cal"
		measure hugo "$hugo" --quiet --source "$work/site-$n" --destination "$work/public-$n-$i" \
			--cacheDir "$work/hugo-cache"
		if [ "$i" = 1 ]; then # every post rendered: none left out as a draft or dated in the future
			pages=$(find "$work/public-$n-$i/posts" -mindepth 2 -name index.html | wc -l)
		fi
		rm -rf "$work/public-$n-$i"
	done
	awk -v n="$n" -v pages="$pages" '
		function median(a, k,   i, j, t) {
			for (i = 2; i <= k; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
			return k % 2 ? a[(k+1)/2] : (a[k/2] + a[k/2+1]) / 2
		}
		$1 == "before" { bw[++b] = $2; bc[b] = $3 }
		$1 == "herald" { hw[++h] = $2; hc[h] = $3 }
		$1 == "hugo"   { gw[++g] = $2; gc[g] = $3; rw[g] = hw[g] / $2; rc[g] = hc[g] / $3
			if (b) { brw[g] = bw[g] / $2; brc[g] = bc[g] / $3 } }
		END {
			if (b) {
				printf "before: herald check median %.2f s wall, %.2f s CPU\n", median(bw, b), median(bc, b)
				printf "before / hugo, median of the %d pairs: %.3fx wall, %.3fx CPU\n", g, median(brw, g), median(brc, g)
			}
			printf "%d posts (%d pages rendered by Hugo): herald check median %.2f s wall, %.2f s CPU; hugo median %.2f s wall, %.2f s CPU\n",
				n, pages, median(hw, h), median(hc, h), median(gw, g), median(gc, g)
			printf "herald check / hugo, median of the %d pairs: %.3fx wall, %.3fx CPU\n", g, median(rw, g), median(rc, g)
		}' "$work/figures"
done
