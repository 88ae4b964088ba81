package state

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTotal(t *testing.T) {
	got := Total([]Counts{
		{Likes: Count(2), Views: Count(10)},
		{Likes: Count(0), Replies: Count(1)},
	})
	want := Counts{Likes: Count(2), Replies: Count(1), Views: Count(10)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Total (-want +got):\n%s", diff)
	}
}
