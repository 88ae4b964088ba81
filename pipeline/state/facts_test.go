package state

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks/netspec"
)

func TestFacts(t *testing.T) {
	facts := netspec.Facts{Server: "https://social.example", Version: "4.5.0",
		FetchedAt:     time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
		MaxCharacters: 11000, CharactersReservedPerURL: 23, MaxMediaAttachments: 4}
	data, err := EncodeFacts(facts)
	if err != nil {
		t.Fatal(err)
	}
	calendar := fstest.MapFS{
		"state/instances/mastodon.json": {Data: data},
		"state/instances/broken.json":   {Data: []byte(`{"max_characters": "lots"}`)},
		"state/instances/empty.json":    {Data: []byte(`{}`)},
	}
	got, ok, err := ReadFacts(calendar, "mastodon")
	if err != nil || !ok {
		t.Fatalf("ReadFacts(mastodon) = %v, %v", ok, err)
	}
	if diff := cmp.Diff(facts, got); diff != "" {
		t.Errorf("ReadFacts after EncodeFacts (-want +got):\n%s", diff)
	}
	if _, ok, err := ReadFacts(calendar, "other"); ok || err != nil {
		t.Errorf("ReadFacts of an account without facts = %v, %v; want false, nil", ok, err)
	}
	for _, key := range []string{"broken", "empty"} {
		_, ok, err := ReadFacts(calendar, key)
		if ok || err == nil || !strings.Contains(err.Error(), "delete this file") {
			t.Errorf("ReadFacts(%s) = %v, %v; want an error that says how to repair it", key, ok, err)
		}
	}
	for _, bad := range []string{"", ".", "..", "../x", `a\b`} {
		if _, err := FactsPath(bad); err == nil {
			t.Errorf("FactsPath(%q) is no error", bad)
		}
	}
}
