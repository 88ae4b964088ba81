package publish

import (
	"testing"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/bluesky"
)

func TestNewPublisherBluesky(t *testing.T) {
	a := &load.Account{Key: "bluesky", Network: "bluesky", Handle: "maison.example.com",
		PDS: load.DefaultPDS, AppView: load.DefaultAppView}
	_, err := NewPublisher(a, Env{Getenv: func(string) string { return "" }})
	if networks.KindOf(err) != networks.NotConfigured {
		t.Fatalf("without HERALD_BLUESKY_PASSWORD: %v, want not configured", err)
	}
	env := map[string]string{"HERALD_BLUESKY_PASSWORD": "app-password"}
	pub, err := NewPublisher(a, Env{Getenv: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := pub.(*bluesky.Client); !ok {
		t.Errorf("NewPublisher made a %T, want a *bluesky.Client", pub)
	}
}
