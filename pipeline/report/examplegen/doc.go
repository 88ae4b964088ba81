// Package examplegen keeps the sample history of the example calendar
// (example-calendar/state/) in step with Herald. The history is sample
// data, not a real brand's figures: its test publishes the calendar's
// November 2026 posts with Herald's own publish code to loopback test
// servers (mastodontest for Mastodon, blueskytest's PDS and AppView for
// Bluesky; the feed and the outbox are written as always), then samples
// them with Herald's own stats code over the month while the servers
// answer a simulated engagement that grows with each post's age and a
// follower count that grows by the day, all from a fixed seed.
//
//	go test ./pipeline/report/examplegen            # the committed files are what it makes
//	go test ./pipeline/report/examplegen -update    # make them again
//
// The servers' loopback addresses are written as the example charter's
// (https://piaille.fr, maison-exemple.bsky.social), so the files read as
// the calendar's own. herald report example-calendar --from 2026-11-01
// --to 2026-11-30 reports on them.
package examplegen
