package enginetest

import (
	"context"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

// Options are a run's options as publish.Options says them: an engine
// test's Publish hands it on to publish.Run, which this package cannot
// call, being in the clients' layer, below publish
// (pipeline/layers_test.go).
type Options struct {
	Dir        string
	NowText    string
	Getenv     func(string) string
	Wall       func() time.Time
	Publishers networks.Open
	Hook       func(step string)
}

// Report is what a run reports (a *publish.Report).
type Report interface{ Failed() bool }

// Engine runs herald publish in Dir at Now.
type Engine struct {
	// Publish is publish.Run with o as its options.
	Publish func(ctx context.Context, o Options) (Report, error)
	Dir     string
	// Getenv is the run's environment.
	Getenv func(string) string
	// Wall is the wall clock of a run that comes later by 0 (nil:
	// time.Now): leases are taken and kept by it.
	Wall func() time.Time
	// Open makes the network's client of an account.
	Open networks.Open
}

// crash is what the Hook of a run panics with to stop it at a step, as a
// killed process stops: nothing after it runs.
type crash struct{ step string }

// Run runs herald publish with the wall clock later by later, and stops
// it at the step kill ("" runs it to its end). It reports whether the run
// was stopped.
func (e *Engine) Run(t testing.TB, later time.Duration, kill string) (rep Report, stopped bool) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(crash); !ok {
				panic(r)
			}
			stopped = true
		}
	}()
	wall := e.Wall
	if wall == nil {
		wall = time.Now
	}
	rep, err := e.Publish(context.Background(), Options{
		Dir: e.Dir, NowText: Now, Getenv: e.Getenv,
		Wall:       func() time.Time { return wall().Add(later) },
		Publishers: e.Open,
		Hook: func(step string) {
			if step == kill {
				panic(crash{step})
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep, false
}

// Stop runs the engine and stops it at step; the test fails when the run
// got through.
func (e *Engine) Stop(t testing.TB, step string) {
	t.Helper()
	if _, stopped := e.Run(t, 0, step); !stopped {
		t.Fatalf("the first run was not stopped before its %s", step)
	}
}

// Finish runs the engine to its end, later by later; the test stops when
// the run failed.
func (e *Engine) Finish(t testing.TB, later time.Duration) Report {
	t.Helper()
	rep, stopped := e.Run(t, later, "")
	if stopped || rep.Failed() {
		t.Fatalf("the run after the lease failed: %+v", rep)
	}
	return rep
}

// Idle runs the engine again, later by later, when it has nothing left
// to do: the test fails when the run fails or the server received a
// request (sent lists what it received so far).
func (e *Engine) Idle(t testing.TB, later time.Duration, sent func() []string) {
	t.Helper()
	before := len(sent())
	if rep, _ := e.Run(t, later, ""); rep.Failed() || len(sent()) != before {
		t.Errorf("a run with nothing to do sent %v", sent()[before:])
	}
}
