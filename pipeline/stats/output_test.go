package stats_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/internal/golden"

	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/state"
	"github.com/herald-social/herald/pipeline/stats"
)

// golden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

func TestOutput(t *testing.T) {
	at := day0.Add(6 * time.Hour)
	full := &stats.Report{
		Samples: []stats.Sample{
			{Calendar: ".", PostID: "posts/avent-1", Account: "bluesky", Network: "bluesky", At: at, Counts: counts(5, 2, 1, 1, -1)},
			{Calendar: ".", PostID: "posts/avent-1", Account: "mastodon", Network: "mastodon", At: at, Counts: counts(12, 3, 1, -1, -1),
				Previous: &state.Sample{At: day0, Counts: counts(8, 2, 2, -1, -1)}},
			{Calendar: "brands/b", PostID: "posts/long-thread-title", Account: "x", Network: "x", At: at, Counts: counts(1, 0, 0, 0, 1500),
				Previous: &state.Sample{At: day0.Add(5 * time.Hour), Counts: counts(1, 0, 0, 0, 900)}},
		},
		Followers: []stats.Followers{
			{Calendar: ".", Account: "mastodon", Network: "mastodon", At: at, Followers: 1204,
				Previous: &stats.FollowerSample{At: day0.Add(-18 * time.Hour), Followers: 1190}},
			{Calendar: ".", Account: "bluesky", Network: "bluesky", At: at, Followers: 530},
		},
		Instances: []stats.Instance{{Calendar: ".", Account: "mastodon", Facts: netspec.Facts{Server: "https://social.example", Version: "4.4.0",
			FetchedAt: at.UTC(), MaxCharacters: 500, CharactersReservedPerURL: 23, MaxMediaAttachments: 4, DescriptionLimit: 1500}}},
		Problems: []stats.Problem{
			{Calendar: ".", Account: "linkedin", What: "not-configured", Err: errors.New("account linkedin: not configured: set HERALD_LINKEDIN_TOKEN")},
			{Calendar: ".", PostID: "posts/avent-3", What: "failed", Err: errors.New("state/posts/avent-3.json:1:1: the file is empty")},
		},
		Recent: 4, Expired: 12, Unsupported: 2, NotFound: 1,
		Repository: "/work/calendar (main)", Commits: []string{"abc1234"}, Pushed: true,
	}
	nothing := &stats.Report{Recent: 1, Expired: 3, Unsupported: 2}
	outside := &stats.Report{Samples: full.Samples[:1]}
	for name, rep := range map[string]*stats.Report{"full": full, "nothing": nothing, "outside-git": outside, "empty": {}} {
		t.Run(name, func(t *testing.T) {
			var text, js bytes.Buffer
			if err := stats.WriteText(&text, rep, nil); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name+".txt", text.Bytes())
			if err := stats.WriteJSON(&js, rep); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name+".json", js.Bytes())
			var md bytes.Buffer
			if err := stats.WriteMarkdown(&md, rep, nil); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name+".md", md.Bytes())
		})
	}
	// The same reports as a French community manager reads them.
	fr, _ := i18n.New("fr-FR")
	for name, rep := range map[string]*stats.Report{"full": full, "nothing": nothing} {
		t.Run(name+"-fr", func(t *testing.T) {
			var text, md bytes.Buffer
			if err := stats.WriteText(&text, rep, fr); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name+".fr-FR.txt", text.Bytes())
			if err := stats.WriteMarkdown(&md, rep, fr); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name+".fr-FR.md", md.Bytes())
		})
	}
}
