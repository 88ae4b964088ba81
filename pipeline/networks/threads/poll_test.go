package threads_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
)

func TestPublishPoll(t *testing.T) {
	f := newFixture(t)
	p := publication(networks.Part{Text: "Quelle case ouvrir demain ?"}, networks.Part{Text: "Réponse à 9 h."})
	p.Poll = &networks.Poll{Options: []string{"La rouge", "La dorée", "La verte"}, ExpiresIn: 24 * time.Hour}
	if _, err := f.client(t).Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	posts := f.srv.Posts()
	if len(posts) != 2 {
		t.Fatalf("%d posts, want 2", len(posts))
	}
	if diff := cmp.Diff([]string{"La rouge", "La dorée", "La verte"}, posts[0].Poll); diff != "" {
		t.Errorf("poll (-want +got):\n%s", diff)
	}
	if posts[1].Poll != nil {
		t.Errorf("the second part has a poll %v", posts[1].Poll)
	}
	for _, r := range f.srv.Requests() {
		if r.Endpoint == "create" && r.Params.Has("poll_attachment") &&
			r.Params.Get("poll_attachment") != `{"option_a":"La rouge","option_b":"La dorée","option_c":"La verte"}` {
			t.Errorf("poll_attachment %s", r.Params.Get("poll_attachment"))
		}
	}
}

func TestPublishPollRefused(t *testing.T) {
	img := []networks.Medium{{Path: "media/avent-1.jpg", Alt: "Une boîte", MIME: "image/jpeg"}}
	tests := []struct {
		name string
		part networks.Part
		poll networks.Poll
		says string
	}{
		{"five options", networks.Part{Text: "?"}, networks.Poll{Options: []string{"a", "b", "c", "d", "e"}}, "2 to 4 options"},
		{"long option", networks.Part{Text: "?"}, networks.Poll{Options: []string{"a", strings.Repeat("b", 26)}}, "1 to 25"},
		{"with media", networks.Part{Text: "?", Media: img}, networks.Poll{Options: []string{"a", "b"}}, "text-only"},
		{"multiple", networks.Part{Text: "?"}, networks.Poll{Options: []string{"a", "b"}, Multiple: true}, "one choice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			p := publication(tt.part)
			p.Poll = &tt.poll
			_, err := f.client(t).Publish(context.Background(), p)
			if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("Publish: %v, want Permanent saying %q", err, tt.says)
			}
			if n := len(f.srv.Requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}
