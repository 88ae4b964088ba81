package instagram_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/instagram/instagramtest"
)

const caption = "Le calendrier de l'Avent commence : une case par jour jusqu'à Noël. #avent @maison"

func TestPublishImageWithAltText(t *testing.T) {
	f := newFixture(t)
	res, err := f.client(t).Publish(context.Background(), publication(caption))
	if err != nil {
		t.Fatal(err)
	}
	media := f.srv.Media()
	if len(media) != 1 || media[0].Caption != caption {
		t.Fatalf("media %+v, want one with the caption", media)
	}
	want := networks.Result{IDs: []string{media[0].ID}, URLs: []string{media[0].Permalink}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"content_publishing_limit", "media", "container", "media_publish", "medium"}, f.srv.Routes()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	c, _ := f.srv.Container(media[0].Container)
	wantParams := map[string]string{"image_url": mediaBase + "media/avent-1.jpg", "alt_text": "Une boîte de l'Avent ouverte", "caption": caption}
	if diff := cmp.Diff(wantParams, c.Params); diff != "" {
		t.Errorf("container (-want +got):\n%s", diff)
	}
	if got := f.srv.Requests()[0].Params; got["fields"] != "quota_usage,config" {
		t.Errorf("content_publishing_limit params %v", got)
	}
}

func TestPublishCarouselAndWaitsForContainers(t *testing.T) {
	f := newFixture(t)
	f.srv.Polls = 2 // each container answers IN_PROGRESS once
	p := publication(caption,
		networks.Medium{Path: "media/a.jpg", Alt: "Première case", MIME: "image/jpeg"},
		networks.Medium{Path: "media/b.mp4", Alt: "ignored for videos", MIME: "video/mp4"})
	if _, err := f.client(t).Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	media := f.srv.Media()
	if len(media) != 1 || len(media[0].Children) != 2 {
		t.Fatalf("media %+v, want one carousel of two", media)
	}
	var got []map[string]string
	for _, id := range append(media[0].Children, media[0].Container) {
		c, _ := f.srv.Container(id)
		got = append(got, c.Params)
	}
	want := []map[string]string{
		{"image_url": mediaBase + "media/a.jpg", "alt_text": "Première case", "is_carousel_item": "true"},
		{"video_url": mediaBase + "media/b.mp4", "media_type": "VIDEO", "is_carousel_item": "true"},
		{"media_type": "CAROUSEL", "children": strings.Join(media[0].Children, ","), "caption": caption},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("containers (-want +got):\n%s", diff)
	}
	wantRoutes := []string{"content_publishing_limit", "media", "media", "container", "container", "container", "container",
		"media", "container", "container", "media_publish", "medium"}
	if diff := cmp.Diff(wantRoutes, f.srv.Routes()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if len(f.sleeps) != 3 {
		t.Errorf("waited %d times for IN_PROGRESS containers, want 3", len(f.sleeps))
	}
}

func TestPublishReel(t *testing.T) {
	f := newFixture(t)
	p := publication(caption, networks.Medium{Path: "media/reel.mp4", MIME: "video/mp4"})
	if _, err := f.client(t).Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	c, _ := f.srv.Container(f.srv.Media()[0].Container)
	want := map[string]string{"video_url": mediaBase + "media/reel.mp4", "media_type": "REELS", "caption": caption}
	if diff := cmp.Diff(want, c.Params); diff != "" {
		t.Errorf("container (-want +got):\n%s", diff)
	}
}

func TestPublishRefusesBeforeAnyCall(t *testing.T) {
	for name, p := range map[string]networks.Publication{
		"no media": {Parts: []networks.Part{{Text: "Texte seul"}}},
		"a thread": {Parts: []networks.Part{publication("un").Parts[0], {Text: "deux"}}},
		"a poll":   {Parts: publication("un").Parts, Poll: &networks.Poll{Options: []string{"a", "b"}}},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			_, err := f.client(t).Publish(context.Background(), p)
			if networks.KindOf(err) != networks.Permanent {
				t.Errorf("error %v, want Permanent", err)
			}
			if n := len(f.srv.Requests()); n != 0 {
				t.Errorf("%d requests", n)
			}
		})
	}
}

func TestPublishWithoutMediaURL(t *testing.T) {
	for name, base := range map[string]string{"missing": "", "commit": "https://raw.example.com/{commit}/"} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			c := f.clientWithMediaURL(t, base)
			_, err := c.Publish(context.Background(), publication(caption))
			if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), "media_url") {
				t.Errorf("error %v, want Permanent naming media_url", err)
			}
			if diff := cmp.Diff([]string{"content_publishing_limit"}, f.srv.Routes()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPublishingLimitSpent(t *testing.T) {
	f := newFixture(t)
	f.srv.QuotaUsage = 100
	_, err := f.client(t).Publish(context.Background(), publication(caption))
	if networks.KindOf(err) != networks.RateLimited || !strings.Contains(err.Error(), "100 posts") {
		t.Errorf("error %v, want RateLimited saying the limit is spent", err)
	}
	if len(f.srv.Media()) != 0 {
		t.Error("published all the same")
	}
}

func TestRateLimitRetried(t *testing.T) {
	f := newFixture(t)
	f.srv.Queue("content_publishing_limit", instagramtest.Reply{Status: 400,
		Header: map[string]string{"X-Business-Use-Case-Usage": `{"17841400000000001":[{"type":"instagram","call_count":100,"total_cputime":12,"total_time":15,"estimated_time_to_regain_access":2}]}`},
		Body:   `{"error":{"message":"(#80002) There have been too many calls to this Instagram account.","type":"OAuthException","code":80002,"fbtrace_id":"A1"}}`})
	f.srv.Queue("media", instagramtest.Reply{Status: 503, Body: `{"error":{"message":"Service temporarily unavailable","type":"OAuthException","code":2,"is_transient":true}}`})
	if _, err := f.client(t).Publish(context.Background(), publication(caption)); err != nil {
		t.Fatal(err)
	}
	if len(f.srv.Media()) != 1 {
		t.Errorf("%d media, want 1", len(f.srv.Media()))
	}
	if len(f.sleeps) < 1 || f.sleeps[0].Minutes() != 2 {
		t.Errorf("waits %v, want first the 2 minutes X-Business-Use-Case-Usage says", f.sleeps)
	}
}

func TestRateLimitBeyondBudget(t *testing.T) {
	f := newFixture(t)
	f.srv.Queue("content_publishing_limit", instagramtest.Reply{Status: 403,
		Body:   `{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4,"fbtrace_id":"A1"}}`,
		Header: map[string]string{"X-Business-Use-Case-Usage": `{"1":[{"type":"instagram","estimated_time_to_regain_access":120}]}`}})
	_, err := f.client(t).Publish(context.Background(), publication(caption))
	var e *networks.Error
	if !errors.As(err, &e) || e.Kind != networks.RateLimited || e.RetryAfter.Minutes() != 120 {
		t.Errorf("error %v, want RateLimited, retry after 2h", err)
	}
}

func TestExpiredToken(t *testing.T) {
	f := newFixture(t)
	f.token = "EAAGexpiredTOKEN5678"
	_, err := f.client(t).Publish(context.Background(), publication(caption))
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if !networks.RejectedCredential(err) || networks.KindOf(err) != networks.Permanent {
		t.Errorf("error %v, want a Permanent 401", err)
	}
	for _, want := range []string{"Session has expired", "HERALD_INSTA_TOKEN", "new long-lived token"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	if strings.Contains(msg, f.token) {
		t.Errorf("error %q holds the token", msg)
	}
}

func TestContainerError(t *testing.T) {
	f := newFixture(t)
	f.srv.Queue("container", instagramtest.Reply{Body: `{"id":"1","status_code":"ERROR","status":"2207026"}`})
	_, err := f.client(t).Publish(context.Background(), publication(caption))
	if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), "ERROR (2207026)") {
		t.Errorf("error %v, want Permanent with the container's status", err)
	}
}
