package telegram_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/telegram/telegramtest"
)

func TestVerify(t *testing.T) {
	tests := []struct {
		name    string
		chat    string
		setup   func(*telegramtest.Server) (token string)
		verdict networks.Verdict
		want    []string // pieces of the message
	}{{
		name:    "an administrator that may post in the channel",
		chat:    "@maison",
		verdict: networks.Verified,
		want:    []string{"@maison_bot", "may post in channel @maison", "a person looks in the chat and confirms it", "herald publish --confirm POST@ACCOUNT --published"},
	}, {
		name: "an administrator without the right to post",
		chat: "@annonces",
		setup: func(s *telegramtest.Server) string {
			s.AddChat(&telegramtest.Chat{ID: -1001111, Type: "channel", Username: "annonces", Status: "administrator"})
			return s.Token
		},
		verdict: networks.Rejected,
		want:    []string{"@maison_bot", "without the right to post messages", "confirms it"},
	}, {
		name: "a subscriber of the channel",
		chat: "@annonces",
		setup: func(s *telegramtest.Server) string {
			s.AddChat(&telegramtest.Chat{ID: -1001111, Type: "channel", Username: "annonces", Status: "member"})
			return s.Token
		},
		verdict: networks.Rejected,
		want:    []string{"a subscriber, not an administrator"},
	}, {
		name:    "a chat the bot does not know",
		chat:    "@nowhere",
		verdict: networks.Rejected,
		want:    []string{"Bad Request: chat not found", "add @maison_bot to @nowhere"},
	}, {
		name:    "a token Telegram refuses",
		chat:    "@maison",
		setup:   func(*telegramtest.Server) string { return "7012345678:AAHrevoked-token" },
		verdict: networks.Rejected,
		want:    []string{"Unauthorized", "@BotFather", "HERALD_TG_TOKEN"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := telegramtest.New(t)
			token := srv.Token
			if tt.setup != nil {
				token = tt.setup(srv)
			}
			f := clientOn(t, srv, tt.chat, token)
			v := f.c.Verify(context.Background(), time.Now())
			if v.Verdict != tt.verdict {
				t.Errorf("verdict %v, want %v: %s", v.Verdict, tt.verdict, v.Message)
			}
			for _, w := range tt.want {
				if !strings.Contains(v.Message, w) {
					t.Errorf("message %q does not say %q", v.Message, w)
				}
			}
			if strings.Contains(v.Message, token) {
				t.Errorf("message %q holds the token", v.Message)
			}
			for _, r := range srv.Requests() {
				if strings.HasPrefix(r.Method, "send") {
					t.Errorf("Verify called %s: it must only read", r.Method)
				}
			}
		})
	}
}

// TestVerifyCalls: getMe, then getChat and getChatMember on the account's
// chat for the bot's id.
func TestVerifyCalls(t *testing.T) {
	f := newFixture(t, "@maison")
	f.c.Verify(context.Background(), time.Now())
	var got []telegramtest.Request
	for _, r := range f.srv.Requests() {
		got = append(got, telegramtest.Request{Method: r.Method, Fields: r.Fields})
	}
	want := []telegramtest.Request{
		{Method: "getMe", Fields: map[string]string{}},
		{Method: "getChat", Fields: map[string]string{"chat_id": "@maison"}},
		{Method: "getChatMember", Fields: map[string]string{"chat_id": "@maison", "user_id": "7012345678"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// TestVerifyUnreachable: a Telegram that cannot be reached leaves the
// token unchecked.
func TestVerifyUnreachable(t *testing.T) {
	srv := telegramtest.New(t)
	f := clientOn(t, srv, "@maison", srv.Token)
	srv.Close()
	v := f.c.Verify(context.Background(), time.Now())
	if v.Verdict != networks.Unsure || !strings.Contains(v.Message, "could not reach Telegram") || strings.Contains(v.Message, srv.Token) {
		t.Errorf("Verify = %v %q, want unsure, saying Telegram could not be reached, without the token", v.Verdict, v.Message)
	}
}
