package stats

import "time"

// The sampling schedule. A post gathers most of its engagement in its
// first hours and hardly any after a week, so herald stats samples a
// publication less often as it ages:
//
//	age (since published_at)   one sample every
//	under 1 day                1 hour
//	1 to 7 days                6 hours
//	7 days to the window       1 day
//	the window (30d) and over  never again
//
// A publication is due when it has no sample yet, or when the time since
// its last sample (the last `at` in its state file) is at least the
// interval of its age now, less a tenth: a cron job that starts a few
// minutes early or late still samples every hour, not every other hour.
// Everything is computed from --now and the state file, never the wall
// clock, so a replay at the same --now decides the same.
var intervals = []struct {
	under, every time.Duration
}{
	{24 * time.Hour, time.Hour},
	{7 * 24 * time.Hour, 6 * time.Hour},
}

// daily is the interval of a publication older than a week.
const daily = 24 * time.Hour

// interval is how often a publication of that age is sampled.
func interval(age time.Duration) time.Duration {
	for _, iv := range intervals {
		if age < iv.under {
			return iv.every
		}
	}
	return daily
}

// timing is where a publication stands in the schedule at a run's --now.
type timing int

const (
	due     timing = iota // sampled now
	recent                // sampled less than its interval ago
	expired               // published longer ago than its account's window
	notYet                // published after --now (a replay at an earlier time)
)

// timingOf says whether a publication published at published, whose last
// sample was taken at last (zero when it has none), is due for a sample at
// now, with its account's window.
func timingOf(published, last, now time.Time, window time.Duration) timing {
	age := now.Sub(published)
	switch {
	case age < 0:
		return notYet
	case age >= window:
		return expired
	case last.IsZero():
		return due
	}
	every := interval(age)
	if now.Sub(last) >= every-every/10 {
		return due
	}
	return recent
}
