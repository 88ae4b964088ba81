package discord_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/discord/discordtest"
)

func TestWebhook(t *testing.T) {
	f := newFixture(t, true)
	p := f.publication(t)
	res, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	msgs := f.srv.Messages()
	if len(msgs) != 1 || msgs[0].WebhookID != f.srv.WebhookID || msgs[0].Content != p.Parts[0].Text ||
		len(msgs[0].Attachments) != 1 || msgs[0].Attachments[0].Description != p.Parts[0].Media[0].Alt {
		t.Fatalf("messages %+v; want one by the webhook with the part's text and image", msgs)
	}
	if diff := cmp.Diff(networks.Result{IDs: []string{msgs[0].ID}, URLs: []string{f.link(msgs[0].ID)}}, res); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
	reqs := f.srv.Requests()
	hook := "/api/webhooks/" + f.srv.WebhookID + "/" + f.srv.WebhookToken
	if len(reqs) != 2 || reqs[0].Method+" "+reqs[0].Path != "GET "+hook || reqs[1].Method+" "+reqs[1].Path != "POST "+hook ||
		reqs[1].Query != "wait=true" {
		t.Errorf("requests %v; want GET of the webhook (its guild), then POST ?wait=true", f.srv.Routes())
	}
	for _, r := range reqs {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("%s: Authorization %q, want none for a webhook", r.Method, r.Header.Get("Authorization"))
		}
	}
	if _, ok := reqs[1].JSON["nonce"]; ok {
		t.Errorf("Execute Webhook sent a nonce: %v", reqs[1].JSON)
	}

	t.Run("Lookup cannot answer", func(t *testing.T) {
		_, found, err := f.client(t).Lookup(context.Background(), p)
		if found || !errors.Is(err, networks.ErrUnsupported) || !strings.Contains(err.Error(), "cannot read its channel") {
			t.Errorf("Lookup = %v, %v; want an Unsupported error saying the webhook cannot read its channel", found, err)
		}
		f.noSecret(t, "error", err.Error())
	})
	t.Run("Stats unsupported", func(t *testing.T) {
		_, err := f.client(t).Stats(context.Background(), res.IDs)
		if !errors.Is(err, networks.ErrUnsupported) {
			t.Errorf("Stats: %v, want ErrUnsupported", err)
		}
	})
}

// TestWebhookSecret: neither the webhook's URL nor its token appears in
// an error or the log, though both travel in the request's path.
func TestWebhookSecret(t *testing.T) {
	t.Run("a 500 is not sent again, and says no secret", func(t *testing.T) {
		f := newFixture(t, true)
		f.srv.Fail("POST /webhooks/:id/:token", discordtest.Reply{Status: 500, Body: `{"message": "500: Internal Server Error", "code": 0}`})
		_, err := f.client(t).Publish(context.Background(), f.text("Premier jour."))
		if networks.KindOf(err) != networks.Transient {
			t.Fatalf("Publish: %v, want transient", err)
		}
		f.noSecret(t, "error", err.Error())
		if n := strings.Count(strings.Join(f.srv.Routes(), "\n"), "POST "); n != 1 {
			t.Errorf("%d executions, want 1: a webhook takes no nonce, a second could post twice", n)
		}
	})
	t.Run("a 429 is waited out, and the log says no secret", func(t *testing.T) {
		f := newFixture(t, true)
		f.srv.Fail("POST /webhooks/:id/:token", discordtest.Reply{RateLimit: &discordtest.RateLimit{RetryAfter: 0.5}})
		if _, err := f.client(t).Publish(context.Background(), f.text("Premier jour.")); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]time.Duration{500 * time.Millisecond}, f.clk.Slept()); diff != "" {
			t.Errorf("waits (-want +got):\n%s", diff)
		}
		if !strings.Contains(f.log.String(), "retrying") {
			t.Errorf("log %q, want the retry", f.log.String())
		}
		f.noSecret(t, "log", f.log.String())
	})
	t.Run("a refused token", func(t *testing.T) {
		f := newFixture(t, true)
		c := f.client(t)
		f.srv.WebhookToken = "another-token"
		_, err := c.Publish(context.Background(), f.text("Premier jour."))
		if ne, ok := errors.AsType[*networks.Error](err); !ok || ne.Status != 401 {
			t.Fatalf("Publish: %v, want HTTP 401", err)
		}
		f.noSecret(t, "error", err.Error())
		if strings.Contains(err.Error(), "wh-T0ken") {
			t.Errorf("error %q holds the webhook's token", err)
		}
	})
}

// TestWebhookThread: a webhook cannot reply, so the parts follow each
// other in the channel.
func TestWebhookThread(t *testing.T) {
	f := newFixture(t, true)
	p := f.text("Premier jour.", "Une case par jour.")
	res, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	msgs := f.srv.Messages()
	if len(msgs) != 2 || msgs[1].ReplyTo != "" || msgs[1].Content != "Une case par jour." || !cmp.Equal(res.IDs, []string{msgs[0].ID, msgs[1].ID}) {
		t.Errorf("Result %v, messages %+v; want two messages in order", res, msgs)
	}
	for _, r := range f.srv.Requests()[1:] {
		if _, ok := r.JSON["message_reference"]; ok || r.Query != "wait=true" {
			t.Errorf("Execute Webhook %s ?%s with %v; want ?wait=true and no message_reference", r.Path, r.Query, r.JSON)
		}
	}
}
