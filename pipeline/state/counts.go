package state

// Counts are the engagement of one post as a network reports it. A nil
// count is one the network does not give; a zero one is zero.
type Counts struct {
	Likes   *int64 `json:"likes,omitempty"`
	Reposts *int64 `json:"reposts,omitempty"`
	Replies *int64 `json:"replies,omitempty"`
	Quotes  *int64 `json:"quotes,omitempty"`
	Views   *int64 `json:"views,omitempty"`
}

// Total adds up the counts of the posts of a thread. A count is nil in the
// total only when it is nil in every post.
func Total(cs []Counts) Counts {
	var t Counts
	for _, c := range cs {
		t.Likes = add(t.Likes, c.Likes)
		t.Reposts = add(t.Reposts, c.Reposts)
		t.Replies = add(t.Replies, c.Replies)
		t.Quotes = add(t.Quotes, c.Quotes)
		t.Views = add(t.Views, c.Views)
	}
	return t
}

func add(sum, n *int64) *int64 {
	switch {
	case n == nil:
		return sum
	case sum == nil:
		v := *n
		return &v
	}
	v := *sum + *n
	return &v
}

// Count returns a pointer to n, for building Counts.
func Count(n int64) *int64 { return &n }
