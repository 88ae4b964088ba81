package slack_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/slack/slacktest"
)

func TestVerify(t *testing.T) {
	f := newFixture(t)
	v := f.client(t).Verify(context.Background(), f.clk.Now())
	if v.Verdict != networks.Verified || !strings.Contains(v.Message, "@herald") || !strings.Contains(v.Message, "#annonces") {
		t.Errorf("Verify = %+v, want verified naming the bot and the channel", v)
	}
	if diff := cmp.Diff([]string{"auth.test", "conversations.info"}, f.srv.Methods()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}

	t.Run("not a member", func(t *testing.T) {
		f := newFixture(t)
		f.srv.Member = false
		v := f.client(t).Verify(context.Background(), f.clk.Now())
		if v.Verdict != networks.Rejected || !strings.Contains(v.Message, "/invite @herald") {
			t.Errorf("Verify = %+v, want rejected, saying to invite the bot", v)
		}
	})
	t.Run("a token Slack refuses", func(t *testing.T) {
		f := newFixture(t)
		c := f.client(t)
		f.srv.Token = "xoxb-another"
		v := c.Verify(context.Background(), f.clk.Now())
		if v.Verdict != networks.Rejected || !strings.Contains(v.Message, "invalid_auth") || strings.Contains(v.Message, "testTOKEN") {
			t.Errorf("Verify = %+v, want rejected for invalid_auth, without the token", v)
		}
	})
	t.Run("Slack down", func(t *testing.T) {
		f := newFixture(t)
		f.srv.Queue("auth.test", slacktest.Reply{Body: `{"ok":false,"error":"fatal_error"}`})
		if v := f.client(t).Verify(context.Background(), f.clk.Now()); v.Verdict != networks.Unsure {
			t.Errorf("Verify = %+v, want unsure", v)
		}
	})
}
