package linkedin_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/linkedin/linkedintest"
)

// mp4 is a video file's bytes: an MP4 header then n bytes, each part's
// bytes told apart by their letter.
func mp4(n int) []byte {
	data := []byte("\x00\x00\x00\x18ftypmp42")
	for len(data) < n {
		part := len(data) / linkedintest.VideoPartSize
		data = append(data, byte('a'+part))
	}
	return data
}

const videoPost = `---
date: 2026-12-01T09:00:00+01:00
networks: [linkedin]
tags: [produit]
title: Les coulisses de l'Avent
media:
  - src: ../media/atelier.mp4
    alt: L'atelier prépare les boîtes
---
Dans l'atelier (vidéo).
`

const videoAndImagePost = `---
date: 2026-12-01T09:00:00+01:00
networks: [linkedin]
tags: [produit]
media:
  - src: ../media/avent-1.png
    alt: Une boîte
  - src: ../media/atelier.mp4
    alt: L'atelier
---
Les deux.
`

// withVideo adds the video posts and a video of size bytes to the
// fixture's calendar.
func (f *fixture) withVideo(t *testing.T, size int) []byte {
	t.Helper()
	data := mp4(size)
	for name, content := range map[string][]byte{"posts/video.md": []byte(videoPost),
		"posts/video-image.md": []byte(videoAndImagePost), "media/atelier.mp4": data} {
		if err := os.WriteFile(filepath.Join(f.root, filepath.FromSlash(name)), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return data
}

// TestPublishVideo: a video of 9 MiB goes up in three parts of the sizes
// initializeUpload gave, is finalized with their ETags, read until
// LinkedIn has processed it, then posted with its title.
func TestPublishVideo(t *testing.T) {
	f := newFixture(t)
	data := f.withVideo(t, 9<<20+1234)
	f.srv.VideoPolls = 2
	p := f.publication(t, "posts/video.md")
	res, err := f.client(t, f.srv.Token).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"videos.initializeUpload", "videoUpload", "videoUpload", "videoUpload", "videos.finalizeUpload",
		"videos.get", "videos.get", "videos.get", "posts.create"}
	if diff := cmp.Diff(want, f.srv.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	posts := f.srv.Posts()
	if len(posts) != 1 || res.IDs[0] != posts[0].ID {
		t.Fatalf("posts %+v, result %+v", posts, res)
	}
	if posts[0].Text != "Dans l'atelier (vidéo)." || posts[0].Title != "Les coulisses de l'Avent" || len(posts[0].Images) != 0 {
		t.Errorf("post %+v, want the text and the post's title above the video", posts[0])
	}
	v, ok := f.srv.Video(posts[0].Video)
	if !ok || !bytes.Equal(v.Data(), data) || v.Owner != f.srv.Author {
		t.Errorf("video %s: %d bytes owned by %s, want the file's %d bytes owned by the author", posts[0].Video, len(v.Data()), v.Owner, len(data))
	}
	for i, r := range f.srv.Requests() {
		if r.Route == "videoUpload" && r.Header.Get("Authorization") != "Bearer "+f.srv.Token {
			t.Errorf("request %d: upload without the token", i)
		}
	}
}

// TestPublishVideoTitle: without a post title, the alt text is the
// video's title.
func TestPublishVideoTitle(t *testing.T) {
	f := newFixture(t)
	f.withVideo(t, 100_000)
	p := f.publication(t, "posts/video.md")
	p.Title = ""
	if _, err := f.client(t, f.srv.Token).Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if posts := f.srv.Posts(); len(posts) != 1 || posts[0].Title != "L'atelier prépare les boîtes" {
		t.Errorf("posts %+v, want the alt text as title", posts)
	}
}

// TestPublishVideoPartRetried: a part whose PUT fails with a 5xx is sent
// again, whole, and the post goes out once.
func TestPublishVideoPartRetried(t *testing.T) {
	f := newFixture(t)
	data := f.withVideo(t, 5<<20)
	f.srv.Queue("videoUpload", linkedintest.Reply{}, linkedintest.Reply{Status: 502, Body: "Bad Gateway"})
	if _, err := f.client(t, f.srv.Token).Publish(context.Background(), f.publication(t, "posts/video.md")); err != nil {
		t.Fatal(err)
	}
	posts := f.srv.Posts()
	if len(posts) != 1 {
		t.Fatalf("%d posts, want 1", len(posts))
	}
	if v, _ := f.srv.Video(posts[0].Video); !bytes.Equal(v.Data(), data) {
		t.Errorf("video of %d bytes, want %d", len(v.Data()), len(data))
	}
	if n := strings.Count(strings.Join(f.srv.Calls(), " "), "videoUpload"); n != 3 {
		t.Errorf("%d part uploads, want 3 (2 parts, one sent twice)", n)
	}
}

// TestPublishVideoProcessingFailed: a video LinkedIn cannot process is a
// permanent failure that says what LinkedIn takes; nothing is posted.
func TestPublishVideoProcessingFailed(t *testing.T) {
	f := newFixture(t)
	f.withVideo(t, 100_000)
	f.srv.FailVideo = true
	_, err := f.client(t, f.srv.Token).Publish(context.Background(), f.publication(t, "posts/video.md"))
	if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), "PROCESSING_FAILED") || !strings.Contains(err.Error(), "MP4") {
		t.Errorf("error %v, want a permanent PROCESSING_FAILED saying what LinkedIn takes", err)
	}
	if calls := f.srv.Calls(); slices.Contains(calls, "posts.create") {
		t.Errorf("calls %v: a post was sent", calls)
	}
}

// TestPublishVideoWithImage: a LinkedIn post holds a video alone: a post
// with a video and an image fails before any call.
func TestPublishVideoWithImage(t *testing.T) {
	f := newFixture(t)
	f.withVideo(t, 100_000)
	_, err := f.client(t, f.srv.Token).Publish(context.Background(), f.publication(t, "posts/video-image.md"))
	if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), "video alone") {
		t.Errorf("error %v, want a permanent error saying a video goes alone", err)
	}
	if calls := f.srv.Calls(); len(calls) != 0 {
		t.Errorf("calls %v, want none", calls)
	}
}

// TestLookupVideoPost: a video post an interrupted run made is found by
// its commentary, and not posted again.
func TestLookupVideoPost(t *testing.T) {
	f := newFixture(t)
	f.withVideo(t, 100_000)
	p := f.publication(t, "posts/video.md")
	first, err := f.client(t, f.srv.Token).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	got, found, err := f.client(t, f.srv.Token).Lookup(context.Background(), p)
	if err != nil || !found {
		t.Fatalf("Lookup = %v, %v", found, err)
	}
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("lookup (-publish +lookup):\n%s", diff)
	}
}
