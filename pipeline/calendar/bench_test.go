package calendar_test

import (
	"context"
	"io"
	"os"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/calendar"
	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/check/bench"
	"github.com/herald-social/herald/pipeline/internal/benchcpu"
)

// BenchmarkCalendar10k is herald calendar --format ics and herald export
// over a generated calendar of 10,000 posts: "ics" and "export" are the
// whole commands (load the posts without the rules, then lay out and
// write); "ics-write" and "export-write" leave the loading out.
//
//	go test ./pipeline/calendar -run '^$' -bench 'Calendar10k/(ics|export)$' -benchtime 3x -count 3 -benchmem
//
// Issue 16's budget is 1 s each. CPU time (user+sys, cpu-ns/op) on 2
// shared cores, -count 3, before and after the commands stopped running
// the rules (Options.LoadOnly):
//
//	        check.Run, every rule                 LoadOnly
//	ics     2.26-2.40 s, 338 MB, 3.04 M allocs    1.01-1.17 s, 298 MB, 2.45 M allocs
//	export  2.23-3.19 s, 280 MB, 2.51 M allocs    1.08-1.26 s, 240 MB, 1.91 M allocs
//
// The CPU time is that of both cores: the posts are parsed in parallel.
func BenchmarkCalendar10k(b *testing.B) {
	dir := b.TempDir()
	if err := bench.Write(dir, bench.Options{Posts: 10_000, Seed: 1, PostBytes: bench.PostBytes}); err != nil {
		b.Fatal(err)
	}
	load := func() *check.Calendar {
		res, err := check.Run(context.Background(), check.Options{Dir: dir, KeepPosts: true, LoadOnly: true})
		if err != nil || len(res.Calendars) != 1 {
			b.Fatal(err)
		}
		return res.Calendars[0]
	}
	cal := load()
	if len(cal.Posts) < 9_000 {
		b.Fatalf("%d posts", len(cal.Posts))
	}
	// The whole period the generated posts cover.
	from, to := cal.Posts[0].When, cal.Posts[0].When
	for _, p := range cal.Posts {
		if !p.When.IsZero() && p.When.Before(from) {
			from = p.When
		}
		if p.When.After(to) {
			to = p.When
		}
	}
	first, last := calendar.DayOf(from, cal.Charter.Location), calendar.DayOf(to, cal.Charter.Location)
	stamp := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	ics := func(cal *check.Calendar) {
		if err := calendar.WriteICS(io.Discard, calendar.Build(cal, first, last), stamp); err != nil {
			b.Fatal(err)
		}
	}
	export := func(cal *check.Calendar) {
		rows, err := calendar.ExportRows(cal, os.DirFS(cal.Root), time.Time{}, time.Time{})
		if err != nil {
			b.Fatal(err)
		}
		if err := calendar.WriteCSV(io.Discard, rows); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("ics", func(b *testing.B) {
		b.ReportAllocs()
		defer benchcpu.Start(b)()
		for b.Loop() {
			ics(load())
		}
	})
	b.Run("ics-write", func(b *testing.B) {
		for b.Loop() {
			ics(cal)
		}
	})
	b.Run("export", func(b *testing.B) {
		b.ReportAllocs()
		defer benchcpu.Start(b)()
		for b.Loop() {
			export(load())
		}
	})
	b.Run("export-write", func(b *testing.B) {
		for b.Loop() {
			export(cal)
		}
	})
}
