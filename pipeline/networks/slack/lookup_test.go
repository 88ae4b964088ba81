package slack_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/slack/slacktest"
)

// TestLookupAfterCrash: a run posts the thread and dies before it
// journals it; the next run's client finds every part by its metadata,
// and Publish posts nothing again.
func TestLookupAfterCrash(t *testing.T) {
	f := newFixture(t)
	p := f.thread(t)
	f.srv.AddMessage(slacktest.Message{Text: p.Parts[0].Text}) // a person's copy: no metadata
	first, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	f.clk.Advance(15 * time.Minute)
	before := len(f.srv.Messages())
	next := f.client(t)
	got, found, err := next.Lookup(context.Background(), p)
	if err != nil || !found {
		t.Fatalf("Lookup = %v, %v, %v; want the thread", got, found, err)
	}
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("Lookup (-published +found):\n%s", diff)
	}
	again, err := next.Publish(context.Background(), p)
	if err != nil || !cmp.Equal(first.IDs, again.IDs) || len(f.srv.Messages()) != before {
		t.Errorf("Publish again = %v, %v with %d messages (%d before); want the same thread, nothing posted", again, err, len(f.srv.Messages()), before)
	}

	t.Run("found on a later page of the history", func(t *testing.T) {
		for i := range 150 {
			f.srv.AddMessage(slacktest.Message{Text: fmt.Sprintf("message %d", i)})
		}
		before := len(f.srv.Requests())
		got, found, err := f.client(t).Lookup(context.Background(), p)
		if err != nil || !found || !cmp.Equal(first.IDs, got.IDs) {
			t.Fatalf("Lookup = %v, %v, %v; want the thread", got, found, err)
		}
		var cursors []any
		for _, r := range f.srv.Requests()[before:] {
			if r.Path == "conversations.history" {
				cursors = append(cursors, r.Args["cursor"])
			}
		}
		if len(cursors) != 2 || cursors[0] != nil || cursors[1] == nil {
			t.Errorf("conversations.history cursors %v, want a first page, then the next cursor", cursors)
		}
	})

	t.Run("another publication is not found", func(t *testing.T) {
		other := p
		other.IdempotencyKey = "herald-key-other"
		_, found, err := next.Lookup(context.Background(), other)
		if err != nil || found {
			t.Errorf("Lookup of another key = %v, %v; want not found", found, err)
		}
	})
}

// TestFinishHalfThread: the second message fails with a 500 (Slack may
// have posted it or not: it did not); Lookup does not find a whole
// thread, and the next Publish posts only what is missing.
func TestFinishHalfThread(t *testing.T) {
	f := newFixture(t)
	p := f.thread(t)
	p.Parts[0].Media, p.Parts[2].Media = nil, nil
	f.srv.Queue("chat.postMessage", slacktest.Reply{}, slacktest.Reply{Status: 500, Body: "upstream error"})
	res, err := f.client(t).Publish(context.Background(), p)
	if networks.KindOf(err) != networks.Transient || len(res.IDs) != 1 {
		t.Fatalf("Publish = %v, %v; want the first message and a transient error", res, err)
	}
	if _, found, err := f.client(t).Lookup(context.Background(), p); found || err != nil {
		t.Fatalf("Lookup = %v, %v; want a half thread not found", found, err)
	}
	done, err := f.client(t).Publish(context.Background(), p)
	if err != nil || len(done.IDs) != 3 || done.IDs[0] != res.IDs[0] {
		t.Fatalf("Publish again = %v, %v; want the thread finished from its first message", done, err)
	}
	want := []herald{
		{Text: "Jour 1 : *la boîte*", Part: float64(0)},
		{Text: "Une case par jour.", Thread: "root", Part: float64(1)},
		{Text: "Rendez-vous demain à 9 h.", Thread: "root", Part: float64(2)},
	}
	if diff := cmp.Diff(want, posted(t, f.srv, p)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}
