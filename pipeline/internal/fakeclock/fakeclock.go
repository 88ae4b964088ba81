// Package fakeclock is the clock of a test: it stands still until the
// code under test sleeps (its waits move it on at once, and are recorded)
// or the test moves it. Test servers date what they keep by it, and the
// clients' retries (httpx.Options's Now and Sleep) wait on it, so a test
// of a 429 with a one-minute Retry-After takes no time.
package fakeclock

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Clock is a fake clock; New sets its time. It is safe for concurrent use.
type Clock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

// New returns a clock at now.
func New(now time.Time) *Clock { return &Clock{now: now} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep moves the clock on by d at once and records the wait; it fails
// only when ctx is done.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

// Advance moves the clock on by d, as time passing between two runs.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Slept returns the waits so far, in order.
func (c *Clock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.slept)
}
