package report

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/internal/golden"
)

// The fixture, testdata/calendar, over November 2026 (Europe/Paris), with
// every figure of the golden files computed by hand:
//
//	post a  Tue 3 Nov 10:00  movember  produit+coulisses
//	  mastodon  likes 10 reposts 2 replies 1 quotes 0, no views  eng 13  followers near: 1000
//	  x         likes 20 reposts 5 replies 3 quotes 2 views 1000 eng 30  rate 0.03
//	post b  Tue 10 Nov 18:00 movember  produit
//	  x         likes 4 reposts 0 replies 1 quotes 0 views 500       eng 5   rate 0.01
//	post c  Fri 20 Nov 12:00 (none)    communaute
//	  mastodon  published, never sampled: every count null
//	post d  Thu 15 Oct 10:00 (none)    produit          (the previous period)
//	  mastodon  likes 5 reposts 1, no views                          eng 6   followers near: 900
//	  x         likes 10 reposts 2 views 400                         eng 12  rate 0.03
//	post e  Tue 1 Dec 00:30 Paris (30 Nov 23:30 UTC): outside November
//	post f  Wed 25 Nov 09:00 soiree    coulisses
//	  mastodon  likes 3, no views                                    eng 3   followers near: 1100
//	  x         failed: not a publication
//
// November: 4 posts, 5 publications; likes 10+20+4+3 = 37, reposts 7,
// replies 5, quotes 2, views 1000+500 = 1500, engagements 13+30+5+3 = 51;
// engagement_rate (30+5)/1500 = 0.02333; per follower (13+3)/(1000+1100)
// = 0.007619. October: 1 post, 2 publications, likes 15, reposts 3,
// views 400, engagements 18, rate 12/400 = 0.03, per follower 6/900.
//
// movember: a and b, 2 posts, 3 publications, likes 34, engagements 48,
// rate 35/1500 = 0.02333 (objective 0.03: not met), likes 34 < 400 (not
// met), budget 300, cost per engagement 300/48 = 6.25. soiree: f only,
// likes 3 ≥ 3 (met), no views so engagement_rate null (not met), no
// budget so cost_per_engagement null. printemps runs in March: left out.
//
// Tags (a counts under both of its tags): produit a+b, 2 of 4 posts, share
// 0.5 (max 0.5: within); coulisses a+f, 0.5 (min 0.6: below); communaute
// c, 0.25, every count null.
//
// Accounts: mastodon a+c+f, likes 13, engagements 16, views null, rate
// null, per follower 16/2100; followers 1000 (1 Nov 05:41 UTC, nearest
// the start) to 1100 (1 Dec 05:41 UTC): +100. x a+b, views 1500, rate
// 35/1500, no follower counts (null). bluesky has nothing: left out.
//
// When to post, over the history up to the period's end, on views (3
// publications with views, 3 per follower): Tue 10h 30/1000, Tue 18h
// 5/500, Thu 10h 12/400, overall 47/1900 = 0.02474; no cell has 5
// publications: no suggestion.
//
// Best on views: a on x (0.03); worst: b on x (0.01). Per follower: a on
// mastodon (13/1000) best, f on mastodon (3/1100) worst.
func TestGoldenJSON(t *testing.T) {
	t.Parallel()
	r := fixture(t, Options{NowText: "2026-12-02 09:00"})
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/november.json", b.Bytes())
}

func fixture(t *testing.T, opts Options) *Report {
	t.Helper()
	opts.Dir = filepath.Join("testdata", "calendar")
	r, err := Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The sums over accounts equal the total; over tags they do when no post
// has two tags (the fixture's post a has: it counts under each).
func TestSumsOverAccountsEqualTheTotal(t *testing.T) {
	t.Parallel()
	r := fixture(t, Options{NowText: "2026-12-02 09:00"})
	var pubs int
	var likes, eng, views int64
	for _, g := range r.Accounts {
		pubs += g.Publications
		likes += orZero(g.Likes)
		eng += orZero(g.Engagements)
		views += orZero(g.Views)
	}
	if pubs != r.Total.Publications || likes != *r.Total.Likes || eng != *r.Total.Engagements || views != *r.Total.Views {
		t.Errorf("accounts add up to %d publications, %d likes, %d engagements, %d views; the total is %d, %d, %d, %d",
			pubs, likes, eng, views, r.Total.Publications, *r.Total.Likes, *r.Total.Engagements, *r.Total.Views)
	}
	// Post a's two publications count under produit and coulisses.
	var tagPubs int
	for _, g := range r.Tags {
		tagPubs += g.Publications
	}
	if tagPubs != r.Total.Publications+2 {
		t.Errorf("tags add up to %d publications, want the total %d plus post a's 2", tagPubs, r.Total.Publications)
	}
}

// A network that gives no views has no view-based rate, whatever its
// engagement: Mastodon here.
func TestNoViewsNoViewRate(t *testing.T) {
	t.Parallel()
	r := fixture(t, Options{NowText: "2026-12-02 09:00"})
	for _, g := range r.Accounts {
		if g.Key == "mastodon" && (g.EngagementRate != nil || g.Views != nil || g.FollowerRate == nil) {
			t.Errorf("mastodon: engagement_rate %v, views %v, per follower %v: want nil, nil and a rate", g.EngagementRate, g.Views, g.FollowerRate)
		}
	}
}

// Without publications, every figure is absent and nothing divides by
// zero: a period before the calendar's first post.
func TestEmptyPeriod(t *testing.T) {
	t.Parallel()
	r := fixture(t, Options{From: "2025-01-01", To: "2025-01-31"})
	if r.Total.Publications != 0 || r.Total.Likes != nil || r.Total.EngagementRate != nil || r.Total.FollowerRate != nil {
		t.Errorf("total %+v: want nothing", r.Total.Figures)
	}
	for _, g := range r.Tags {
		if g.Share != nil {
			t.Errorf("tag %s has a share %v of no post", g.Key, *g.Share)
		}
	}
	var b bytes.Buffer
	if err := WriteText(&b, r, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\nNo publication in this period: ") {
		t.Errorf("the text does not say that the period has no publication:\n%s", b.String())
	}
	files, err := Files(r, nil, "markdown", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := files["followers.svg"]; ok {
		t.Error("a followers chart without a count in the period")
	}
}

func TestCampaignFilter(t *testing.T) {
	t.Parallel()
	r := fixture(t, Options{NowText: "2026-12-02 09:00", Campaign: "soiree"})
	if len(r.Campaigns) != 1 || r.Campaigns[0].Key != "soiree" || r.Total.Publications != 1 {
		t.Errorf("campaigns %d, total %d publications: want soiree alone, 1", len(r.Campaigns), r.Total.Publications)
	}
	_, err := Build(context.Background(), Options{Dir: filepath.Join("testdata", "calendar"), Campaign: "nope"})
	var ue *UsageError
	if !errors.As(err, &ue) {
		t.Errorf("--campaign nope: %v, want a usage error", err)
	}
}

// The human formats, in English and French, from the same fixture.
func TestGoldenFormats(t *testing.T) {
	t.Parallel()
	r := fixture(t, Options{NowText: "2026-12-02 09:00"})
	for _, lang := range []string{"en", "fr"} {
		p, _ := i18n.New(lang)
		for _, format := range []string{"text", "markdown", "html"} {
			t.Run(lang+"/"+format, func(t *testing.T) {
				t.Parallel()
				var b bytes.Buffer
				if err := Write(&b, r, p, format); err != nil {
					t.Fatal(err)
				}
				ext := map[string]string{"text": "txt", "markdown": "md", "html": "html"}[format]
				golden.Check(t, "testdata/november."+lang+"."+ext, b.Bytes())
			})
		}
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, r); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/november.csv", b.Bytes())
}
