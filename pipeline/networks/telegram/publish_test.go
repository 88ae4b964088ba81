package telegram_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/internal/fakeclock"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/telegram"
	"github.com/herald-social/herald/pipeline/networks/telegram/telegramtest"
)

// fixture is a client of an account on a test server.
type fixture struct {
	srv   *telegramtest.Server
	c     *telegram.Client
	clock *fakeclock.Clock
	log   *bytes.Buffer
}

// newFixture makes the client of a telegram account whose chat is chat,
// on a new test server.
func newFixture(t *testing.T, chat string) *fixture {
	t.Helper()
	srv := telegramtest.New(t)
	return clientOn(t, srv, chat, srv.Token)
}

func clientOn(t *testing.T, srv *telegramtest.Server, chat, token string) *fixture {
	t.Helper()
	a := &load.Account{Key: "tg", Network: "telegram", Chat: chat, API: srv.URL}
	clk := fakeclock.New(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	var log bytes.Buffer
	c, err := telegram.New(a, telegram.Options{
		Getenv: func(k string) (string, bool) { return token, k == "HERALD_TG_TOKEN" },
		HTTP:   httpx.Options{Now: clk.Now, Sleep: clk.Sleep, Rand: func() float64 { return 0.5 }, Log: &log},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{srv: srv, c: c, clock: clk, log: &log}
}

var files = fstest.MapFS{
	"media/a.jpg": {Data: []byte("jpeg a")},
	"media/b.png": {Data: []byte("png b")},
	"media/c.jpg": {Data: []byte("jpeg c")},
}

func TestPublish(t *testing.T) {
	const channel = -1001234567890
	tests := []struct {
		name       string
		pub        networks.Publication
		want       networks.Result
		wantMsgs   []telegramtest.Message
		wantFields []map[string]string // each request's fields, files as their content
	}{{
		name: "a text",
		pub:  networks.Publication{Parts: []networks.Part{{Text: "<b>Jour 1</b> &amp; la suite"}}},
		want: networks.Result{IDs: []string{"100"}, URLs: []string{"https://t.me/maison/100"}},
		wantMsgs: []telegramtest.Message{
			{ChatID: channel, ID: 100, Method: "sendMessage", Text: "<b>Jour 1</b> &amp; la suite", ParseMode: "HTML"},
		},
		wantFields: []map[string]string{{"chat_id": "@maison", "text": "<b>Jour 1</b> &amp; la suite", "parse_mode": "HTML"}},
	}, {
		name: "a thread of two parts, the second replying to the first",
		pub:  networks.Publication{Parts: []networks.Part{{Text: "un"}, {Text: "deux"}}},
		want: networks.Result{IDs: []string{"100", "101"}, URLs: []string{"https://t.me/maison/100", "https://t.me/maison/101"}},
		wantMsgs: []telegramtest.Message{
			{ChatID: channel, ID: 100, Method: "sendMessage", Text: "un", ParseMode: "HTML"},
			{ChatID: channel, ID: 101, Method: "sendMessage", Text: "deux", ParseMode: "HTML", ReplyTo: 100},
		},
		wantFields: []map[string]string{
			{"chat_id": "@maison", "text": "un", "parse_mode": "HTML"},
			{"chat_id": "@maison", "text": "deux", "parse_mode": "HTML", "reply_parameters": `{"message_id":100}`},
		},
	}, {
		name: "a photo with its caption",
		pub: networks.Publication{Parts: []networks.Part{{Text: "<i>Le sapin</i>",
			Media: []networks.Medium{{Path: "media/a.jpg", Alt: "un sapin", MIME: "image/jpeg"}}}}},
		want: networks.Result{IDs: []string{"100"}, URLs: []string{"https://t.me/maison/100"}},
		wantMsgs: []telegramtest.Message{
			{ChatID: channel, ID: 100, Method: "sendPhoto", Text: "<i>Le sapin</i>", ParseMode: "HTML", PhotoName: "a.jpg", Photo: "jpeg a"},
		},
		wantFields: []map[string]string{{"chat_id": "@maison", "photo": "jpeg a", "caption": "<i>Le sapin</i>", "parse_mode": "HTML"}},
	}, {
		name: "an album of three photos, the caption on the first, after a text",
		pub: networks.Publication{Parts: []networks.Part{{Text: "avant"}, {Text: "Trois vues", Media: []networks.Medium{
			{Path: "media/a.jpg", MIME: "image/jpeg"}, {Path: "media/b.png", MIME: "image/png"}, {Path: "media/c.jpg", MIME: "image/jpeg"}}}}},
		want: networks.Result{IDs: []string{"100", "101"}, URLs: []string{"https://t.me/maison/100", "https://t.me/maison/101"}},
		wantMsgs: []telegramtest.Message{
			{ChatID: channel, ID: 100, Method: "sendMessage", Text: "avant", ParseMode: "HTML"},
			{ChatID: channel, ID: 101, Method: "sendMediaGroup", Text: "Trois vues", ParseMode: "HTML", ReplyTo: 100,
				PhotoName: "a.jpg", Photo: "jpeg a", MediaGroup: true, GroupID: "13000000000000101"},
			{ChatID: channel, ID: 102, Method: "sendMediaGroup", ReplyTo: 100, PhotoName: "b.png", Photo: "png b", MediaGroup: true, GroupID: "13000000000000101"},
			{ChatID: channel, ID: 103, Method: "sendMediaGroup", ReplyTo: 100, PhotoName: "c.jpg", Photo: "jpeg c", MediaGroup: true, GroupID: "13000000000000101"},
		},
		wantFields: []map[string]string{
			{"chat_id": "@maison", "text": "avant", "parse_mode": "HTML"},
			{"chat_id": "@maison", "reply_parameters": `{"message_id":100}`, "photo1": "jpeg a", "photo2": "png b", "photo3": "jpeg c",
				"media": `[{"caption":"Trois vues","media":"attach://photo1","parse_mode":"HTML","type":"photo"},{"media":"attach://photo2","type":"photo"},{"media":"attach://photo3","type":"photo"}]`},
		},
	}, {
		name: "a poll, its question the first part's text, open 5 minutes, then a reply",
		pub: networks.Publication{Parts: []networks.Part{{Text: "Quel <b>dessert</b> ?"}, {Text: "Résultats demain"}},
			Poll: &networks.Poll{Options: []string{"Bûche", "Galette", "Pudding"}, ExpiresIn: 5 * time.Minute, Multiple: true}},
		want: networks.Result{IDs: []string{"100", "101"}, URLs: []string{"https://t.me/maison/100", "https://t.me/maison/101"}},
		wantMsgs: []telegramtest.Message{
			{ChatID: channel, ID: 100, Method: "sendPoll",
				Poll: &telegramtest.Poll{Question: "Quel dessert ?", Options: []string{"Bûche", "Galette", "Pudding"}, OpenPeriod: 300, Multiple: true}},
			{ChatID: channel, ID: 101, Method: "sendMessage", Text: "Résultats demain", ParseMode: "HTML", ReplyTo: 100},
		},
		wantFields: []map[string]string{
			{"chat_id": "@maison", "question": "Quel dessert ?", "options": `[{"text":"Bûche"},{"text":"Galette"},{"text":"Pudding"}]`,
				"open_period": "300", "allows_multiple_answers": "true"},
			{"chat_id": "@maison", "text": "Résultats demain", "parse_mode": "HTML", "reply_parameters": `{"message_id":100}`},
		},
	}, {
		name: "a poll open a day goes without open_period (5-600 s)",
		pub: networks.Publication{Parts: []networks.Part{{Text: "Oui ou non ?"}},
			Poll: &networks.Poll{Options: []string{"Oui", "Non"}, ExpiresIn: 24 * time.Hour}},
		want: networks.Result{IDs: []string{"100"}, URLs: []string{"https://t.me/maison/100"}},
		wantMsgs: []telegramtest.Message{
			{ChatID: channel, ID: 100, Method: "sendPoll", Poll: &telegramtest.Poll{Question: "Oui ou non ?", Options: []string{"Oui", "Non"}}},
		},
		wantFields: []map[string]string{{"chat_id": "@maison", "question": "Oui ou non ?", "options": `[{"text":"Oui"},{"text":"Non"}]`}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "@maison")
			tt.pub.PostID, tt.pub.Account, tt.pub.Files = "posts/2026/12/avent-1", "tg", files
			res, err := f.c.Publish(context.Background(), tt.pub)
			if err != nil {
				t.Fatalf("Publish: %v", err)
			}
			if diff := cmp.Diff(tt.want, res); diff != "" {
				t.Errorf("Result (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantMsgs, f.srv.Messages()); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
			var fields []map[string]string
			for _, r := range f.srv.Requests() {
				fields = append(fields, r.Fields)
			}
			if diff := cmp.Diff(tt.wantFields, fields); diff != "" {
				t.Errorf("fields sent (-want +got):\n%s", diff)
			}
		})
	}
}

// TestChatIDHasNoURLs: a chat named by its id has no public link.
func TestChatIDHasNoURLs(t *testing.T) {
	srv := telegramtest.New(t)
	srv.AddChat(&telegramtest.Chat{ID: -1009876543210, Type: "supergroup", Title: "Équipe", Status: "member"})
	f := clientOn(t, srv, "-1009876543210", srv.Token)
	res, err := f.c.Publish(context.Background(), networks.Publication{Parts: []networks.Part{{Text: "bonjour"}}})
	if want := (networks.Result{IDs: []string{"100"}}); err != nil || !cmp.Equal(want, res) {
		t.Errorf("Publish = %+v, %v; want %+v", res, err, want)
	}
}

// TestRateLimited: a 429 is waited out as parameters.retry_after says when
// it fits in the budget (Telegram did not process the request, so the send
// is safe to repeat), and is a RateLimited error with that wait when not.
func TestRateLimited(t *testing.T) {
	pub := networks.Publication{Parts: []networks.Part{{Text: "bonjour"}}}
	t.Run("within the budget", func(t *testing.T) {
		f := newFixture(t, "@maison")
		f.srv.Fail("sendMessage", telegramtest.Reply{Status: 429, Description: "Too Many Requests: retry after 7", RetryAfter: 7})
		res, err := f.c.Publish(context.Background(), pub)
		if err != nil || len(res.IDs) != 1 {
			t.Fatalf("Publish = %+v, %v; want one message", res, err)
		}
		if diff := cmp.Diff([]time.Duration{7 * time.Second}, f.clock.Slept()); diff != "" {
			t.Errorf("waits (-want +got):\n%s", diff)
		}
		if n := len(f.srv.Messages()); n != 1 {
			t.Errorf("%d messages sent, want 1", n)
		}
	})
	t.Run("beyond the budget", func(t *testing.T) {
		f := newFixture(t, "@maison")
		f.srv.Fail("sendMessage", telegramtest.Reply{Status: 429, Description: "Too Many Requests: retry after 900", RetryAfter: 900})
		_, err := f.c.Publish(context.Background(), pub)
		e, ok := errors.AsType[*networks.Error](err)
		if !ok || e.Kind != networks.RateLimited || e.RetryAfter != 900*time.Second {
			t.Fatalf("Publish error = %v, want rate limited for 900 s", err)
		}
		if len(f.clock.Slept()) != 0 || len(f.srv.Messages()) != 0 {
			t.Errorf("waited %v and sent %d messages, want neither", f.clock.Slept(), len(f.srv.Messages()))
		}
	})
}

// TestServerErrorIsNotResent: a 500 may come after Telegram sent the
// message, and Telegram takes no idempotency key: the send is not repeated,
// and the error is Transient for the engine.
func TestServerErrorIsNotResent(t *testing.T) {
	f := newFixture(t, "@maison")
	f.srv.Fail("sendMessage", telegramtest.Reply{Status: 500, Description: "Internal Server Error"})
	_, err := f.c.Publish(context.Background(), networks.Publication{Parts: []networks.Part{{Text: "bonjour"}}})
	if networks.KindOf(err) != networks.Transient {
		t.Errorf("Publish error = %v, want transient", err)
	}
	if n := len(f.srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestPermanentFailureHoldsNoToken: a 400 is Permanent with the Bot API's
// description, and neither the error nor the log holds the token, which is
// in the URL's path.
func TestPermanentFailureHoldsNoToken(t *testing.T) {
	f := newFixture(t, "@nowhere")
	_, err := f.c.Publish(context.Background(), networks.Publication{Parts: []networks.Part{{Text: "bonjour"}}})
	if networks.KindOf(err) != networks.Permanent {
		t.Fatalf("Publish error = %v, want permanent", err)
	}
	if want := "account tg: HTTP 400: POST /bot[redacted]/sendMessage: Bad Request: chat not found"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if strings.Contains(err.Error()+f.log.String(), f.srv.Token) {
		t.Errorf("the token is in the error or the log: %q, %q", err, f.log)
	}
}

// TestThreadStopsAtAFailure: a part that fails stops the thread, and the
// Result holds the parts sent; the error is Transient, whatever Telegram
// said, so that the engine never sends the first parts again, and it says
// what went out.
func TestThreadStopsAtAFailure(t *testing.T) {
	f := newFixture(t, "@maison")
	f.srv.Fail("sendMessage", telegramtest.Reply{}, telegramtest.Reply{Status: 403, Description: "Forbidden: bot was kicked from the channel chat"})
	res, err := f.c.Publish(context.Background(), networks.Publication{Parts: []networks.Part{{Text: "un"}, {Text: "deux"}, {Text: "trois"}}})
	want := "account tg: part 2 of 3: HTTP 403: POST /bot[redacted]/sendMessage: Forbidden: bot was kicked from the channel chat; " +
		"part 1 went out (https://t.me/maison/100): Herald does not send them again, a person must finish the thread"
	if networks.KindOf(err) != networks.Transient || err.Error() != want {
		t.Errorf("Publish error = %v, want transient:\n%s", err, want)
	}
	if want := []string{"100"}; !cmp.Equal(want, res.IDs) {
		t.Errorf("IDs = %v, want %v", res.IDs, want)
	}
}

// TestLookupCannotKnow: a bot cannot read a chat's history: Lookup makes
// no call and returns an error (which the engine leaves in progress),
// never "not found" (which it would publish again).
func TestLookupCannotKnow(t *testing.T) {
	f := newFixture(t, "@maison")
	_, found, err := f.c.Lookup(context.Background(), networks.Publication{Parts: []networks.Part{{Text: "bonjour"}}})
	if found || !errors.Is(err, telegram.ErrNoHistory) || networks.KindOf(err) != networks.Unsupported {
		t.Errorf("Lookup = %v, %v; want not found and an unsupported error wrapping ErrNoHistory", found, err)
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("%d requests, want none", n)
	}
}

func TestStatsUnsupported(t *testing.T) {
	f := newFixture(t, "@maison")
	if _, err := f.c.Stats(context.Background(), []string{"100"}); !errors.Is(err, networks.ErrUnsupported) {
		t.Errorf("Stats error = %v, want ErrUnsupported", err)
	}
}

// TestNew: the account's chat and api are checked before any call.
func TestNew(t *testing.T) {
	getenv := func(string) (string, bool) { return "123:abc", true }
	tests := []struct{ chat, api, want string }{
		{"", "", "chat is not set"},
		{"maison", "", `chat "maison" is neither @channelusername nor a chat id`},
		{"@maison", "http://api.example.com", "use https"},
	}
	for _, tt := range tests {
		_, err := telegram.New(&load.Account{Key: "tg", Network: "telegram", Chat: tt.chat, API: tt.api}, telegram.Options{Getenv: getenv})
		if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(chat %q, api %q) = %v, want a permanent error saying %q", tt.chat, tt.api, err, tt.want)
		}
	}
}

// TestRefusedBeforeSending: what the client does not send (a video, an
// album over 10 photos, a poll with media) is a permanent error, and
// nothing is sent.
func TestRefusedBeforeSending(t *testing.T) {
	var eleven []networks.Medium
	for range 11 {
		eleven = append(eleven, networks.Medium{Path: "media/a.jpg", MIME: "image/jpeg"})
	}
	tests := []struct {
		name string
		pub  networks.Publication
		want string
	}{
		{"a video", networks.Publication{Parts: []networks.Part{{Media: []networks.Medium{{Path: "media/v.mp4", MIME: "video/mp4"}}}}},
			"Herald sends only images to Telegram"},
		{"eleven photos", networks.Publication{Parts: []networks.Part{{Text: "x", Media: eleven}}},
			"at most 10 photos"},
		{"a poll with media", networks.Publication{Parts: []networks.Part{{Text: "q", Media: eleven[:1]}},
			Poll: &networks.Poll{Options: []string{"a", "b"}}}, "a Telegram poll carries no media"},
		{"no part", networks.Publication{PostID: "posts/vide"}, "post posts/vide has no text and no media"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "@maison")
			tt.pub.Files = files
			_, err := f.c.Publish(context.Background(), tt.pub)
			if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Publish = %v, want a permanent error saying %q", err, tt.want)
			}
			if n := len(f.srv.Requests()); n != 0 {
				t.Errorf("%d requests, want none", n)
			}
		})
	}
}
