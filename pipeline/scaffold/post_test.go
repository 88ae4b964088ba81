package scaffold

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/check"
)

func TestSlug(t *testing.T) {
	tests := []struct{ title, want string }{
		{"Spring is here", "spring-is-here"},
		{"Fête des mères : -20 % !", "fete-des-meres-20"},
		{"Noël, J-1", "noel-j-1"},
		{"L'œuvre de l'atelier", "l-oeuvre-de-l-atelier"},
		{"Straße", "strasse"},
		{"  --Déjà vu--  ", "deja-vu"},
		{"Ça y est 🎉", "ca-y-est"},
		{"Ærø København", "aero-kobenhavn"},
		{"🎉🎉", ""},
		{"日本の春", ""},
		{strings.Repeat("très long titre ", 10), "tres-long-titre-tres-long-titre-tres-long-titre-tres-long"},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			if got := Slug(tt.title); got != tt.want {
				t.Errorf("Slug(%q) = %q, want %q", tt.title, got, tt.want)
			}
		})
	}
}

// newCalendar inits a calendar with a Mastodon account and a campaign.
func newCalendar(t *testing.T) (root string, opts PostOptions) {
	t.Helper()
	root = filepath.Join(t.TempDir(), "cal")
	if _, err := Init(context.Background(), initOpts(root, "mastodon=mastodon,server=https://m.example")); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(root, "charter.yaml"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("campaigns:\n  noel-2026:\n    start: 2026-12-01\n    end: 2026-12-25\n    hashtags: [\"#NoelMaison\", \"#Atelier\"]\n")
	f.Close()
	res := checkClean(t, root)
	return root, PostOptions{Root: root, Charter: res.Calendars[0].Charter}
}

func TestNewPost(t *testing.T) {
	tests := []struct {
		name     string
		opts     func(PostOptions) PostOptions
		wantPath string
		want     string
	}{
		{
			name: "local date, campaign, draft",
			opts: func(o PostOptions) PostOptions {
				o.Title, o.Date, o.Networks, o.Tags = "Noël : J-1", "2026-12-24 9:00", []string{"mastodon,feed", "mastodon"}, []string{"product"}
				o.Date = "2026-12-24 09:00"
				o.Campaign, o.Draft = "noel-2026", true
				return o
			},
			wantPath: "posts/2026/12/noel-j-1.md",
			want: "---\ndate: 2026-12-24 09:00\nnetworks: [mastodon, feed]\ncampaign: noel-2026\ntags: [product]\nstatus: draft\ntitle: 'Noël : J-1'\n---\n" +
				"Noël : J-1\n\n#NoelMaison #Atelier\n",
		},
		{
			// 2026-12-31 in Honolulu is 2027-01-01 10:30 in Paris: the
			// folder is the month in the charter's zone.
			name: "RFC 3339 date, in the charter's month",
			opts: func(o PostOptions) PostOptions {
				o.Title, o.Date, o.Networks, o.Tags = "Bonne année", "2026-12-31T23:30:00-10:00", []string{"outbox"}, []string{"community", "product"}
				return o
			},
			wantPath: "posts/2027/01/bonne-annee.md",
			want:     "---\ndate: 2026-12-31T23:30:00-10:00\nnetworks: [outbox]\ntags: [community, product]\ntitle: Bonne année\n---\nBonne année\n",
		},
		{
			name: "a slug of one's own",
			opts: func(o PostOptions) PostOptions {
				o.Title, o.Date, o.Networks, o.Tags, o.Slug = "🎉", "2027-01-04 11:00", []string{"feed"}, []string{"community"}, "fete"
				return o
			},
			wantPath: "posts/2027/01/fete.md",
			want:     "---\ndate: 2027-01-04 11:00\nnetworks: [feed]\ntags: [community]\ntitle: 🎉\n---\n\U0001f389\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, opts := newCalendar(t)
			path, err := NewPost(tt.opts(opts))
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(root, filepath.FromSlash(tt.wantPath)); path != want {
				t.Errorf("path = %s, want %s", path, want)
			}
			content, _ := os.ReadFile(path)
			if diff := cmp.Diff(tt.want, string(content)); diff != "" {
				t.Errorf("content (-want +got):\n%s", diff)
			}
			res, err := check.Run(context.Background(), check.Options{Dir: root, Paths: []string{path}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Checked != 1 || len(res.Diagnostics) > 0 {
				t.Errorf("checked %d posts, found %v; want the new post, clean", res.Checked, errorsOf(res.Diagnostics))
			}
		})
	}
}

func TestNewPostUsageErrors(t *testing.T) {
	valid := func(o PostOptions) PostOptions {
		o.Title, o.Date, o.Networks, o.Tags = "Hello", "2027-01-04 11:00", []string{"feed"}, []string{"product"}
		return o
	}
	tests := []struct {
		name string
		opts func(PostOptions) PostOptions
		want string
	}{
		{"unknown account", func(o PostOptions) PostOptions { o = valid(o); o.Networks = []string{"feed,bluesky"}; return o },
			`--networks "bluesky" is not in the charter's accounts: use one of feed, mastodon, outbox`},
		{"no networks", func(o PostOptions) PostOptions { o = valid(o); o.Networks = nil; return o },
			`--networks is required: give one or more of feed, mastodon, outbox`},
		{"unknown tag", func(o PostOptions) PostOptions { o = valid(o); o.Tags = []string{"promo"}; return o },
			`--tags "promo" is not in the charter's editorial_line: use one of behind-the-scenes, community, product`},
		{"no tags", func(o PostOptions) PostOptions { o = valid(o); o.Tags = nil; return o },
			`--tags is required: give one or more of behind-the-scenes, community, product`},
		{"unknown campaign", func(o PostOptions) PostOptions { o = valid(o); o.Campaign = "noel"; return o },
			`--campaign "noel" is not in the charter's campaigns: use one of noel-2026`},
		{"bad date", func(o PostOptions) PostOptions { o = valid(o); o.Date = "tomorrow"; return o },
			`--date: date "tomorrow" is neither RFC 3339`},
		{"a time the clocks skip", func(o PostOptions) PostOptions { o = valid(o); o.Date = "2027-03-28 02:30"; return o },
			`--date: `},
		{"no title", func(o PostOptions) PostOptions { o = valid(o); o.Title = " "; return o },
			`the title " " is empty or not on one line`},
		{"a title with no letter", func(o PostOptions) PostOptions { o = valid(o); o.Title = "🎉"; return o },
			`the title "🎉" has no letter or digit to name the file after: give one with --slug`},
		{"a slug that is not one", func(o PostOptions) PostOptions { o = valid(o); o.Slug = "Hello World"; return o },
			`--slug "Hello World": use lower-case letters a-z, digits and '-', such as "hello-world"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, opts := newCalendar(t)
			_, err := NewPost(tt.opts(opts))
			var usage *UsageError
			if !errors.As(err, &usage) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v, want a *UsageError starting %q", err, tt.want)
			}
			if _, err := os.Stat(filepath.Join(root, "posts/2027")); err == nil {
				t.Error("new wrote a post")
			}
		})
	}
}

func TestNewPostNeverOverwrites(t *testing.T) {
	_, opts := newCalendar(t)
	opts.Title, opts.Date, opts.Networks, opts.Tags = "Hello", "2027-01-04 11:00", []string{"feed"}, []string{"product"}
	path, err := NewPost(opts)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, []byte("written by hand\n"), 0o644)
	opts.Date = "2027-01-05 11:00"
	_, err = NewPost(opts)
	want := "posts/2027/01/hello.md exists: herald new never overwrites a post; give another title or --slug"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	if content, _ := os.ReadFile(path); string(content) != "written by hand\n" {
		t.Errorf("the post was overwritten: %q", content)
	}
}
