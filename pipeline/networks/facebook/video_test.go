package facebook_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/facebook/facebooktest"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
	"github.com/herald-social/herald/pipeline/state"
)

const videoPost = `---
date: 2026-12-01T09:00:00+01:00
networks: [facebook]
tags: [produit]
title: Les coulisses de l'Avent
media:
  - src: ../media/atelier.mp4
    alt: L'atelier prépare les boîtes
---
Dans l'atelier, on prépare les boîtes de l'Avent.
`

// videoBytes is an MP4 header then n bytes, each MiB its own letter.
func videoBytes(n int) []byte {
	data := []byte("\x00\x00\x00\x18ftypmp42")
	for len(data) < n {
		data = append(data, byte('a'+len(data)>>20))
	}
	return data
}

// videoFixture is the fixture with a video post and its video of size
// bytes.
func videoFixture(t *testing.T, size int) (*fixture, networks.Publication, []byte) {
	t.Helper()
	f := newFixture(t)
	data := videoBytes(size)
	for name, content := range map[string][]byte{"posts/video.md": []byte(videoPost), "media/atelier.mp4": data} {
		if err := os.WriteFile(filepath.Join(f.root, filepath.FromSlash(name)), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return f, channeltest.Publication(t, f.root, "posts/video.md", f.account, f.clk.Now()), data
}

// TestPublishVideo: a video goes up in the resumable protocol, in the
// chunks Facebook asks for, and finish publishes it with the text as its
// description and the post's title; the publication is the video.
func TestPublishVideo(t *testing.T) {
	f, p, data := videoFixture(t, 2<<20+1000)
	res, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	videos := f.srv.Videos()
	if len(videos) != 1 || !videos[0].Published {
		t.Fatalf("videos %+v, want one published", videos)
	}
	v := videos[0]
	if !bytes.Equal(v.Data, data) || v.Description != "Dans l'atelier, on prépare les boîtes de l'Avent." || v.Title != "Les coulisses de l'Avent" {
		t.Errorf("video: %d bytes, description %q, title %q", len(v.Data), v.Description, v.Title)
	}
	want := networks.Result{IDs: []string{v.ID}, URLs: []string{"https://www.facebook.com/" + f.srv.Page + "/videos/" + v.ID + "/"}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	var phases []string
	for _, r := range f.srv.Requests() {
		phases = append(phases, r.Endpoint+":"+r.Params["upload_phase"])
	}
	if diff := cmp.Diff([]string{"videos:start", "videos:transfer", "videos:transfer", "videos:transfer", "videos:finish"}, phases); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if n := len(f.srv.Posts()); n != 0 {
		t.Errorf("%d feed posts, want none: the video is the post", n)
	}
}

// TestPublishVideoTransferRetried: a transfer that fails with a 5xx is
// sent again, the same chunk; finish, which publishes, is not retried
// blind: its failure is Transient, for Lookup.
func TestPublishVideoTransferRetried(t *testing.T) {
	f, p, data := videoFixture(t, 1<<20+10)
	// A 500 may come after the server acted: only an upload step, which
	// publishes nothing, is sent again.
	f.srv.Queue("videos", facebooktest.Reply{}, facebooktest.Reply{Status: 500, Body: "Internal Server Error"})
	if _, err := f.client(t).Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if v := f.srv.Videos(); len(v) != 1 || !bytes.Equal(v[0].Data, data) || !v[0].Published {
		t.Errorf("videos %d, want one published with the file's bytes", len(v))
	}

	f2, p2, _ := videoFixture(t, 1000)
	f2.srv.Queue("videos", facebooktest.Reply{}, facebooktest.Reply{}, facebooktest.Reply{Status: 500, Body: "Internal Server Error"})
	_, err := f2.client(t).Publish(context.Background(), p2)
	if networks.KindOf(err) != networks.Transient {
		t.Errorf("a failed finish: %v, want transient", err)
	}
	if n := len(f2.srv.Requests()); n != 3 {
		t.Errorf("%d requests, want 3: finish is not sent twice", n)
	}
}

// TestLookupVideo: a video an interrupted run published is found among
// the Page's videos by its description, and the stats of a video are its
// reactions, comments and total_video_views; twice, two samples.
func TestLookupVideo(t *testing.T) {
	f, p, _ := videoFixture(t, 1000)
	first, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	got, found, err := c.Lookup(context.Background(), p)
	if err != nil || !found {
		t.Fatalf("Lookup = %v, %v, want the video", found, err)
	}
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("Lookup (-want +got):\n%s", diff)
	}
	if calls := f.srv.Endpoints(); !slices.Contains(calls, "videos.list") || slices.Contains(calls, "posts") {
		t.Errorf("calls %v, want the Page's videos read", calls)
	}
	id := first.IDs[0]
	one, err := c.Stats(context.Background(), []string{id})
	if err != nil {
		t.Fatal(err)
	}
	f.srv.EngageVideo(id, 7, 2)
	f.srv.View(id, 1500)
	two, err := c.Stats(context.Background(), []string{id})
	if err != nil {
		t.Fatal(err)
	}
	n := state.Count
	want := [][]state.Counts{{{Likes: n(0), Replies: n(0), Views: n(0)}}, {{Likes: n(7), Replies: n(2), Views: n(1500)}}}
	if diff := cmp.Diff(want, [][]state.Counts{one, two}); diff != "" {
		t.Errorf("two samples (-want +got):\n%s", diff)
	}
}

// TestStatsWithoutInsights: a token without read_insights still gets the
// other counts; views stay nil.
func TestStatsWithoutInsights(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	res, err := c.Publish(context.Background(), f.publication(t))
	if err != nil {
		t.Fatal(err)
	}
	f.srv.NoInsights = true
	f.srv.Engage(res.IDs[0], 4, 1, 0)
	got, err := c.Stats(context.Background(), res.IDs)
	if err != nil {
		t.Fatal(err)
	}
	n := state.Count
	if diff := cmp.Diff([]state.Counts{{Likes: n(4), Reposts: n(0), Replies: n(1)}}, got); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}
