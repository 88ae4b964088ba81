// Package replies is the queue of replies a test server serves instead of
// its own answer: a test queues replies (a failure, a 429, a pass) per
// route, each request of the route takes the next one once, and at the
// test's end a reply never taken fails the test, since the client did not
// make the calls the test expected.
package replies

import (
	"sort"
	"sync"
	"testing"
)

// Queue holds queued replies of type R by route; its zero value is
// empty and ready. It is safe for concurrent use.
type Queue[R any] struct {
	mu     sync.Mutex
	queued map[string][]R
}

// Add queues replies for route, after those queued already.
func (q *Queue[R]) Add(route string, replies ...R) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.queued == nil {
		q.queued = map[string][]R{}
	}
	q.queued[route] = append(q.queued[route], replies...)
}

// Take returns the next reply queued for route and removes it; false
// when none is left.
func (q *Queue[R]) Take(route string) (R, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var r R
	rs := q.queued[route]
	if len(rs) == 0 {
		return r, false
	}
	r, q.queued[route] = rs[0], rs[1:]
	return r, true
}

// Report fails the test once for each route with replies never taken,
// with format given how many (%d) and the route (%s).
func (q *Queue[R]) Report(t testing.TB, format string) {
	t.Helper()
	q.mu.Lock()
	defer q.mu.Unlock()
	routes := make([]string, 0, len(q.queued))
	for route, rs := range q.queued {
		if len(rs) > 0 {
			routes = append(routes, route)
		}
	}
	sort.Strings(routes)
	for _, route := range routes {
		t.Errorf(format, len(q.queued[route]), route)
	}
}
