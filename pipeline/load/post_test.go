package load

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParsePostPositions(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		wantDate Text
		wantNets []Text
		wantBody int // BodyLine
		wantID   string
	}{
		{
			name:     "yaml",
			content:  "---\ndate: 2026-12-01 09:00\nnetworks: [x, feed]\ntags: [a]\n---\nBody\n",
			wantDate: Text{"2026-12-01 09:00", 2, 7},
			wantNets: []Text{{"x", 3, 12}, {"feed", 3, 15}},
			wantBody: 6,
			wantID:   "posts/a/b",
		},
		{
			name:     "blank lines before the front matter",
			content:  "\n\n---\ndate: \"2026-12-01 09:00\"\nnetworks:\n  - x\ntags: [a]\n---\n\nBody\n",
			wantDate: Text{"2026-12-01 09:00", 4, 7},
			wantNets: []Text{{"x", 6, 5}},
			wantBody: 9,
			wantID:   "posts/a/b",
		},
		{
			name:     "CRLF",
			content:  "---\r\ndate: 2026-12-01 09:00\r\nnetworks: [x]\r\ntags: [a]\r\n---\r\nBody\r\n",
			wantDate: Text{"2026-12-01 09:00", 2, 7},
			wantNets: []Text{{"x", 3, 12}},
			wantBody: 6,
			wantID:   "posts/a/b",
		},
		{
			name:     "BOM",
			content:  "\ufeff---\ndate: 2026-12-01 09:00\nnetworks: [x]\ntags: [a]\n---\nBody\n",
			wantDate: Text{"2026-12-01 09:00", 2, 7},
			wantNets: []Text{{"x", 3, 12}},
			wantBody: 6,
			wantID:   "posts/a/b",
		},
		{
			name:     "toml",
			content:  "+++\nid = \"custom\"\ndate = \"2026-12-01 09:00\"\nnetworks = [\"x\"]\ntags = [\"a\"]\n+++\nBody\n",
			wantDate: Text{"2026-12-01 09:00", 3, 8},
			wantNets: []Text{{"x", 4, 13}},
			wantBody: 7,
			wantID:   "custom",
		},
		{
			name:     "values of another type than string are no account names",
			content:  "---\ndate: 2026-12-01 09:00\nnetworks: [x, true, 12, null, {feed: 1}, \"12\"]\ntags: [a]\n---\nBody\n",
			wantDate: Text{"2026-12-01 09:00", 2, 7},
			wantNets: []Text{{"x", 3, 12}, {"12", 3, 42}},
			wantBody: 6,
			wantID:   "posts/a/b",
		},
		{
			name:     "toml values of another type than string are no account names",
			content:  "+++\ndate = \"2026-12-01 09:00\"\nnetworks = [\"x\", true, 12]\ntags = [\"a\"]\n+++\nBody\n",
			wantDate: Text{"2026-12-01 09:00", 2, 8},
			wantNets: []Text{{"x", 3, 13}},
			wantBody: 6,
			wantID:   "posts/a/b",
		},
		{
			name:     "toml local date-time keeps its text",
			content:  "+++\ndate = 2026-12-01T09:00:00\nnetworks = [\"x\"]\ntags = [\"a\"]\n+++\nBody\n",
			wantDate: Text{"2026-12-01T09:00:00", 2, 8},
			wantNets: []Text{{"x", 3, 13}},
			wantBody: 6,
			wantID:   "posts/a/b",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePost("posts/a/b.md", []byte(tt.content))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantDate, p.Date); diff != "" {
				t.Errorf("Date (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantNets, p.Networks); diff != "" {
				t.Errorf("Networks (-want +got):\n%s", diff)
			}
			if p.BodyLine != tt.wantBody {
				t.Errorf("BodyLine = %d, want %d", p.BodyLine, tt.wantBody)
			}
			if p.ID != tt.wantID {
				t.Errorf("ID = %q, want %q", p.ID, tt.wantID)
			}
			if !strings.HasPrefix(p.Body, "Body") && !strings.HasPrefix(p.Body, "\nBody") {
				t.Errorf("Body = %q", p.Body)
			}
		})
	}
}

func TestParsePostErrors(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		wantRule string
		wantLine int
	}{
		{"empty", "", "post.front-matter", 1},
		{"only blank", "\n \n", "post.front-matter", 1},
		{"only dashes", "---\n", "post.front-matter", 1},
		{"never closed", "---\ndate: 2026-12-01 09:00\nBody\n", "post.front-matter", 1},
		{"no front matter", "Just a body\n", "post.front-matter", 1},
		{"binary", "---\x00\x01\x02", "post.binary", 1},
		{"invalid UTF-8 on line 3", "---\ndate: x\ntitle: caf\xe9\n---\n", "post.binary", 3},
		{"yaml syntax", "---\ndate: [unclosed\n---\n", "post.syntax", 2},
		{"yaml list never closed, later line", "---\ndate: 2026-12-01 09:00\ntags: [a, b\nnetworks: [x]\n---\n", "post.syntax", 3},
		{"yaml mapping never closed", "---\ndate: 2026-12-01 09:00\nnetworks: [x]\ntags: {a: 1\ntitle: x\n---\n", "post.syntax", 4},
		// yaml.v3 says where the list starts, not which line breaks it.
		{"yaml key badly indented in a list", "---\ndate: 2026-12-01 09:00\nmedia:\n  - src: a.png\n    alt: a\n   part: 2\n---\n", "post.syntax", 4},
		{"yaml list item after a mapping", "---\ndate: 2026-12-01 09:00\nnetworks: [x]\n- tags\n---\n", "post.syntax", 4},
		{"yaml not a mapping", "---\n- a\n- b\n---\n", "post.syntax", 2},
		{"toml syntax", "+++\ndate = \n+++\n", "post.syntax", 2},
		{"too large", "---\n" + strings.Repeat("a", MaxPostSize) + "\n---\n", "post.too-large", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePost("posts/x.md", []byte(tt.content))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error = %v, want a *ParseError", err)
			}
			if pe.Rule != tt.wantRule || pe.Line != tt.wantLine {
				t.Errorf("got %s at line %d (%s), want %s at line %d", pe.Rule, pe.Line, pe.Message, tt.wantRule, tt.wantLine)
			}
		})
	}
}

func TestTextFor(t *testing.T) {
	p, err := ParsePost("posts/v.md", []byte("---\ndate: x\nnetworks: [x, pro]\ntags: [a]\nvariants:\n  x: court\n  linkedin: long\n---\nBody\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ account, network, want string }{
		{"x", "x", "court"},
		{"pro", "linkedin", "long"}, // by network when no variant names the account
		{"mastodon", "mastodon", "Body\n"},
	} {
		if got, _ := p.TextFor(tt.account, tt.network); got != tt.want {
			t.Errorf("TextFor(%s, %s) = %q, want %q", tt.account, tt.network, got, tt.want)
		}
	}
}

func TestEnvName(t *testing.T) {
	for key, want := range map[string]string{
		"mastodon":     "HERALD_MASTODON_TOKEN",
		"bluesky-fr":   "HERALD_BLUESKY_FR_TOKEN",
		"x.com":        "HERALD_X_COM_TOKEN",
		"Été2026":      "HERALD__T_2026_TOKEN",
		"linkedin_pro": "HERALD_LINKEDIN_PRO_TOKEN",
	} {
		if got := (&Account{Key: key}).EnvName("TOKEN"); got != want {
			t.Errorf("EnvName(%q) = %s, want %s", key, got, want)
		}
	}
}
