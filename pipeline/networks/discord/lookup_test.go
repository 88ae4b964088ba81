package discord_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/discord/discordtest"
)

// TestLookup: the bot's message with the part's text and the image's
// description is found; a message of the same text by someone else, or
// without the image, or with another description, is not.
func TestLookup(t *testing.T) {
	f := newFixture(t, false)
	p := f.publication(t)
	text, alt := p.Parts[0].Text, p.Parts[0].Media[0].Alt
	tests := []struct {
		name  string
		msgs  []discordtest.Message
		found int // index in msgs of the message found, -1 for none
	}{
		{"nothing", nil, -1},
		{"someone else's", []discordtest.Message{{Content: text, AuthorID: "42", Attachments: []discordtest.Attachment{{Description: alt}}}}, -1},
		{"without the image", []discordtest.Message{{Content: text}}, -1},
		{"another description", []discordtest.Message{{Content: text, Attachments: []discordtest.Attachment{{Description: "autre"}}}}, -1},
		{"the bot's, the first of two", []discordtest.Message{
			{Content: "autre chose"},
			{Content: text, Attachments: []discordtest.Attachment{{Description: alt}}},
			{Content: text, Attachments: []discordtest.Attachment{{Description: alt}}},
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, false)
			var ids []string
			for _, m := range tt.msgs {
				ids = append(ids, f.srv.AddMessage(m))
			}
			res, found, err := f.client(t).Lookup(context.Background(), f.publication(t))
			if err != nil {
				t.Fatal(err)
			}
			want := networks.Result{}
			if tt.found >= 0 {
				want = networks.Result{IDs: []string{ids[tt.found]}, URLs: []string{f.link(ids[tt.found])}}
			}
			if found != (tt.found >= 0) {
				t.Errorf("found = %v, want %v", found, tt.found >= 0)
			}
			if diff := cmp.Diff(want, res); diff != "" {
				t.Errorf("Lookup (-want +got):\n%s", diff)
			}
			q := f.srv.Requests()[len(f.srv.Requests())-1].Query
			if q != "limit=50" {
				t.Errorf("GET /channels/:channel/messages?%s, want limit=50", q)
			}
		})
	}
}
