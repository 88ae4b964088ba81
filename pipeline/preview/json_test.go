package preview

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/render/facets"
)

// jsonEntry is an object of the preview contract as encoding/json writes
// it, the way WriteJSON wrote the array before it wrote it by hand.
type jsonEntry struct {
	Post    string         `json:"post"`
	Network string         `json:"network"`
	Text    string         `json:"text"`
	Parts   []string       `json:"parts"`
	Length  int            `json:"length"`
	Limit   int            `json:"limit"`
	Unit    string         `json:"unit"`
	Facets  []facets.Facet `json:"facets,omitzero"`
	Poll    *jsonPoll      `json:"poll,omitempty"`
}

// jsonPoll is an object's poll, where its network carries the post's.
type jsonPoll struct {
	Question   string   `json:"question,omitempty"`
	Options    []string `json:"options"`
	ExpiresIn  string   `json:"expires_in"`
	Duration   *int64   `json:"duration"`
	Multiple   bool     `json:"multiple"`
	HideTotals bool     `json:"hide_totals"`
}

// referenceJSON encodes the entries with encoding/json.
func referenceJSON(t *testing.T, entries []Entry) string {
	out := make([]jsonEntry, 0, len(entries))
	for _, e := range entries {
		parts := make([]string, len(e.Rendering.Parts))
		for i, p := range e.Rendering.Parts {
			parts[i] = p.Text
		}
		je := jsonEntry{
			Post: e.Post.ID, Network: e.Account.Network, Text: e.Rendering.Text(), Parts: parts,
			Length: e.Lengths[0], Limit: e.Limits[0], Unit: string(e.Unit),
		}
		if e.Account.Network == "bluesky" {
			je.Facets = e.Facets
			if je.Facets == nil {
				je.Facets = []facets.Facet{}
			}
		}
		if p := e.Poll; p != nil {
			je.Poll = &jsonPoll{Question: p.Question, Options: p.Options, ExpiresIn: p.ExpiresIn,
				Multiple: p.Multiple, HideTotals: p.HideTotals}
			if !p.Open {
				seconds := int64(p.Duration / time.Second)
				je.Poll.Duration = &seconds
			}
		}
		out = append(out, je)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestWriteJSONLikeEncodingJSON checks WriteJSON against encoding/json on
// the calendars of the package's tests, and on none.
func TestWriteJSONLikeEncodingJSON(t *testing.T) {
	for _, dir := range []string{"testdata/formats/calendar", "testdata/site/calendar", "../../example-calendar"} {
		res, err := check.Run(context.Background(), check.Options{Dir: dir, KeepPosts: true})
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := WriteJSON(&got, res); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(referenceJSON(t, Entries(res)), got.String()); diff != "" {
			t.Errorf("%s (-encoding/json +WriteJSON):\n%s", dir, diff)
		}
	}
	var got bytes.Buffer
	if err := WriteJSON(&got, &check.Result{}); err != nil || got.String() != "[]\n" {
		t.Errorf("no post: %q, %v; want []", got.String(), err)
	}
}

func checkJSONString(t *testing.T, s string) {
	t.Helper()
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	if got := string(appendJSONString(nil, s)) + "\n"; got != want.String() {
		t.Fatalf("appendJSONString(%q) = %s, encoding/json %s", s, got, want.String())
	}
}

func TestAppendJSONString(t *testing.T) {
	pieces := []string{"a", "é", "\"", "\\", "\b", "\f", "\n", "\r", "\t", "\x00", "\x1f", "\x7f", "<", ">", "&",
		"\u2028", "\u2029", "\xff", "\xe2\x80", "👩‍🎨", "\ufffd", "/"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20_000 {
		var b strings.Builder
		for range rng.IntN(10) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		checkJSONString(t, b.String())
	}
}

func FuzzAppendJSONString(f *testing.F) {
	f.Add("l'été \"<b>\" \\ \n\t\x01 \u2028 \xff 👩‍🎨")
	f.Fuzz(checkJSONString)
}
