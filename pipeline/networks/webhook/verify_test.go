package webhook_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/webhook"
	"github.com/herald-social/herald/pipeline/networks/webhook/webhooktest"
)

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// TestNew: the URL comes from HERALD_<KEY>_URL, else the charter; a
// missing URL or secret, or a secret that is not whsec_ and base64, is
// NotConfigured naming the variable; an error never says a secret URL.
func TestNew(t *testing.T) {
	const hidden = "https://hooks.example.com/T0/s3cr3t-path"
	tests := []struct {
		name    string
		url     string            // the charter's
		env     map[string]string // besides nothing
		kind    networks.Kind     // 0: made
		envName string            // NotConfigured: the variable named
	}{
		{"charter url", "https://hooks.example.com/herald", map[string]string{"HERALD_HOOKS_SECRET": secret}, 0, ""},
		{"env url", "", map[string]string{"HERALD_HOOKS_URL": hidden, "HERALD_HOOKS_SECRET": secret}, 0, ""},
		{"loopback http", "http://127.0.0.1:8080/h", map[string]string{"HERALD_HOOKS_SECRET": secret}, 0, ""},
		{"no url", "", map[string]string{"HERALD_HOOKS_SECRET": secret}, networks.NotConfigured, "HERALD_HOOKS_URL"},
		{"no secret", "https://hooks.example.com/herald", nil, networks.NotConfigured, "HERALD_HOOKS_SECRET"},
		{"not whsec", "https://hooks.example.com/herald", map[string]string{"HERALD_HOOKS_SECRET": "MfKQ9r8GKYqrTwjU"}, networks.NotConfigured, "HERALD_HOOKS_SECRET"},
		{"not base64", "https://hooks.example.com/herald", map[string]string{"HERALD_HOOKS_SECRET": "whsec_not base64!"}, networks.NotConfigured, "HERALD_HOOKS_SECRET"},
		{"clear http", "http://hooks.example.com/herald", map[string]string{"HERALD_HOOKS_SECRET": secret}, networks.Permanent, ""},
		{"clear http in env", "", map[string]string{"HERALD_HOOKS_URL": "http://hooks.example.com/T0/s3cr3t-path", "HERALD_HOOKS_SECRET": secret}, networks.NotConfigured, "HERALD_HOOKS_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &load.Account{Key: "hooks", Network: "webhook", URL: tt.url}
			c, err := webhook.Open(a, networks.Env{Getenv: func(k string) string { return tt.env[k] }})
			if tt.kind == 0 {
				if _, ok := c.(*webhook.Client); err != nil || !ok {
					t.Fatalf("Open = %T, %v", c, err)
				}
				return
			}
			ne, ok := errors.AsType[*networks.Error](err)
			if !ok || ne.Kind != tt.kind || ne.Env != tt.envName {
				t.Fatalf("Open = %v, want %v naming %q", err, tt.kind, tt.envName)
			}
			if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), "MfKQ9r8GKYqrTwjU") {
				t.Errorf("error %q holds a secret", err)
			}
		})
	}
}

// TestVerify: doctor is told where deliveries go (the host alone) and
// that nothing was sent; the receiver gets no request.
func TestVerify(t *testing.T) {
	rcv := webhooktest.New(t)
	rcv.Query = "token=Zq8sTv2Lp"
	a := &load.Account{Key: "hooks", Network: "webhook"}
	c, err := webhook.New(a, webhook.Options{Getenv: func(k string) (string, bool) {
		v := map[string]string{"HERALD_HOOKS_URL": rcv.Endpoint(), "HERALD_HOOKS_SECRET": rcv.Secret}[k]
		return v, v != ""
	}})
	if err != nil {
		t.Fatal(err)
	}
	v := c.Verify(context.Background(), time.Now())
	host := strings.TrimPrefix(rcv.URL, "http://")
	if v.Verdict != networks.Unsure || !strings.Contains(v.Message, host) || !strings.Contains(v.Message, "HERALD_HOOKS_URL") ||
		!strings.Contains(v.Message, "publish") {
		t.Errorf("Verify = %+v, want unsure, naming %s, the variable, and that publish checks delivery", v, host)
	}
	for _, s := range []string{rcv.Path, "Zq8sTv2Lp", rcv.Secret} {
		if strings.Contains(v.Message, s) {
			t.Errorf("Verify's message %q holds %q", v.Message, s)
		}
	}
	if n := len(rcv.Requests()); n != 0 {
		t.Errorf("Verify sent %d requests", n)
	}
	if _, err := c.Stats(context.Background(), []string{"x"}); !errors.Is(err, networks.ErrUnsupported) || networks.KindOf(err) != networks.Unsupported {
		t.Errorf("Stats = %v, want unsupported", err)
	}
	if _, found, err := c.Lookup(context.Background(), networks.Publication{IdempotencyKey: "k"}); found || err != nil {
		t.Errorf("Lookup = %v, %v; want not found: the engine sends the same webhook-id again", found, err)
	}
}

// TestRedirectNotFollowed: a receiver answering a redirect gets no second
// request elsewhere, and the publication fails permanently.
func TestRedirectNotFollowed(t *testing.T) {
	f := newFixture(t)
	f.rcv.Fail(webhooktest.Reply{Status: http.StatusTemporaryRedirect, Header: map[string]string{"Location": "/elsewhere"}})
	_, err := f.client(t, "").Publish(context.Background(), f.publication(t))
	if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), "307") {
		t.Errorf("Publish = %v, want a permanent failure saying 307", err)
	}
	if n := len(f.rcv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}
