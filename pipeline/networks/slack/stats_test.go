package slack_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks/slack/slacktest"
)

func TestStats(t *testing.T) {
	f := newFixture(t)
	p := f.thread(t)
	p.Parts[0].Media, p.Parts[2].Media = nil, nil
	res, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.React(res.IDs[0], "tada", 3)
	f.srv.React(res.IDs[0], "heart", 2)
	f.srv.React(res.IDs[2], "eyes", 1)
	f.srv.AddMessage(slacktest.Message{Text: "Trop bien !", ThreadTS: res.IDs[0]})
	ids := append(res.IDs, "1764570000.000001") // deleted since
	counts, err := f.client(t).Stats(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	n := func(v int64) *int64 { return &v }
	want := []struct{ Likes, Replies *int64 }{{n(5), n(1)}, {n(0), nil}, {n(1), nil}, {nil, nil}}
	for i, c := range counts {
		if !cmp.Equal(c.Likes, want[i].Likes) || !cmp.Equal(c.Replies, want[i].Replies) || c.Reposts != nil || c.Quotes != nil || c.Views != nil {
			t.Errorf("counts[%d] = %+v, want likes %v replies %v, the others nil", i, c, want[i].Likes, want[i].Replies)
		}
	}
}
