package state

import (
	"fmt"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/internal/benchcpu"
)

// BenchmarkDecode decodes the state file of a post published on two
// accounts with 30 engagement samples each: the file a report reads
// 10,000 times on issue 15's calendar.
//
//	go test ./pipeline/state -run '^$' -bench Decode -benchmem -count 5
func BenchmarkDecode(b *testing.B) {
	f := &File{Accounts: map[string]*Account{}}
	at := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
	for k, key := range []string{"mastodon", "x"} {
		a := f.Account(key)
		a.Publish([]string{"1234"}, []string{"https://example.com/" + key + "/1234"}, at)
		a.Digest = fmt.Sprintf("sha256:%064x", k)
		for s := range 30 {
			c := Counts{Likes: Count(int64(s)), Reposts: Count(int64(s / 3)), Replies: Count(int64(s / 5)), Quotes: Count(0)}
			if k == 1 {
				c.Views = Count(int64(1000 + 10*s))
			}
			a.AddSample(at.Add(time.Duration(s+1)*time.Hour), c)
		}
	}
	data, err := Encode(f)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	defer benchcpu.Start(b)()
	for b.Loop() {
		if _, err := Decode("state/p.json", data); err != nil {
			b.Fatal(err)
		}
	}
}
