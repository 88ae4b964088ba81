package preview

import (
	"bufio"
	"io"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/render"
	"github.com/herald-social/herald/pipeline/render/facets"
)

// WriteJSON writes SPEC.md's preview contract for every kept post of the
// checked calendars: one JSON array with an object per post and declared
// account it names, in post order then the post's own, with exactly the
// keys post, network, text, parts, length, limit, unit and, for Bluesky
// only, facets (always there for Bluesky, over the full text); length and
// limit are the first part's.
//
// The array is written as encoding/json writes it with an indent of two
// spaces and no HTML escaping, but without being built first: the posts
// are rendered and their objects written in parallel, a batch at a time,
// while the batch before goes out, and each post is measured only as far
// as the contract needs.
func WriteJSON(w io.Writer, res *check.Result) error {
	type post struct {
		cal *check.Calendar
		p   *check.Post
	}
	var posts []post
	for _, cal := range res.Calendars {
		for _, p := range cal.Posts {
			posts = append(posts, post{cal, p})
		}
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	// Each post's objects, each starting with a new line, the objects of
	// a post separated by commas; nothing for a post that names no
	// declared account.
	batches := make(chan [][]byte, 1)
	free := make(chan [][]byte, 2) // batches written, whose memory is used again
	wrote := make(chan bool)
	go func() {
		some := false
		for batch := range batches {
			for _, objects := range batch {
				if len(objects) == 0 {
					continue
				}
				if some {
					bw.WriteByte(',')
				}
				bw.Write(objects) // a write error stays in bw, for Flush
				some = true
			}
			select {
			case free <- batch:
			default:
			}
		}
		wrote <- some
	}()
	bw.WriteByte('[')
	const batchSize = 256
	workers := runtime.GOMAXPROCS(0)
	for start := 0; start < len(posts); start += batchSize {
		var batch [][]byte
		select {
		case batch = <-free:
		default:
			batch = make([][]byte, batchSize)
		}
		batch = batch[:min(batchSize, len(posts)-start)]
		var next atomic.Int64
		var wg sync.WaitGroup
		for range min(workers, len(batch)) {
			wg.Go(func() {
				for i := int(next.Add(1)) - 1; i < len(batch); i = int(next.Add(1)) - 1 {
					p := posts[start+i]
					batch[i] = appendPostJSON(batch[i][:0], p.cal, p.p)
				}
			})
		}
		wg.Wait()
		batches <- batch
	}
	close(batches)
	if <-wrote {
		bw.WriteString("\n]\n")
	} else {
		bw.WriteString("]\n")
	}
	return bw.Flush()
}

// appendPostJSON appends the objects of a post, one per declared account
// it names.
func appendPostJSON(b []byte, cal *check.Calendar, p *check.Post) []byte {
	var accounts []*load.Account
	for _, n := range p.Networks {
		if a := cal.Charter.Accounts[n.Value]; a != nil {
			accounts = append(accounts, a)
		}
	}
	if len(accounts) == 0 {
		return b
	}
	detected := map[string][]facets.Facet{} // by text: accounts often get the same one
	renderings := render.RenderAll(p.Post, accounts)
	size := 0
	for _, r := range renderings {
		size += 256
		for _, part := range r.Parts {
			size += 2*len(part.Text) + 16
		}
	}
	b = slices.Grow(b, size)
	for i, r := range renderings {
		a := accounts[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n  {\n    \"post\": "...)
		b = appendJSONString(b, p.ID)
		b = append(b, ",\n    \"network\": "...)
		b = appendJSONString(b, a.Network)
		text := r.Text()
		b = append(b, ",\n    \"text\": "...)
		b = appendJSONString(b, text)
		b = append(b, ",\n    \"parts\": ["...)
		for j, part := range r.Parts {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, "\n      "...)
			b = appendJSONString(b, part.Text)
		}
		b = append(b, "\n    ],\n    \"length\": "...)
		b = strconv.AppendInt(b, int64(render.Length(a, r.Parts[0].Text)), 10)
		b = append(b, ",\n    \"limit\": "...)
		b = strconv.AppendInt(b, int64(render.Limit(a, r.Parts[0])), 10)
		b = append(b, ",\n    \"unit\": "...)
		b = appendJSONString(b, string(render.UnitOf(a)))
		if a.Network == "bluesky" {
			fs, ok := detected[text]
			if !ok {
				fs = facets.Detect(text)
				detected[text] = fs
			}
			b = append(b, ",\n    \"facets\": ["...)
			for j, f := range fs {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, "\n      {\n        \"byteStart\": "...)
				b = strconv.AppendInt(b, int64(f.ByteStart), 10)
				b = append(b, ",\n        \"byteEnd\": "...)
				b = strconv.AppendInt(b, int64(f.ByteEnd), 10)
				b = append(b, ",\n        \"type\": "...)
				b = appendJSONString(b, f.Type)
				b = append(b, ",\n        \"value\": "...)
				b = appendJSONString(b, f.Value)
				b = append(b, "\n      }"...)
			}
			if len(fs) > 0 {
				b = append(b, "\n    "...)
			}
			b = append(b, ']')
		}
		if poll := pollOf(p.Post, a, r); poll != nil {
			b = appendPollJSON(b, poll)
		}
		b = append(b, "\n  }"...)
	}
	return b
}

// appendPollJSON appends an object's "poll" key: the poll as the network
// takes it, with "question" only where the network takes one of its own,
// and "duration" (seconds) null where the poll goes without one (it stays
// open until closed).
func appendPollJSON(b []byte, p *Poll) []byte {
	b = append(b, ",\n    \"poll\": {"...)
	if p.Question != "" {
		b = append(b, "\n      \"question\": "...)
		b = appendJSONString(b, p.Question)
		b = append(b, ',')
	}
	b = append(b, "\n      \"options\": ["...)
	for i, o := range p.Options {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n        "...)
		b = appendJSONString(b, o)
	}
	if len(p.Options) > 0 {
		b = append(b, "\n      "...)
	}
	b = append(b, "],\n      \"expires_in\": "...)
	b = appendJSONString(b, p.ExpiresIn)
	b = append(b, ",\n      \"duration\": "...)
	if p.Open {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, int64(p.Duration/time.Second), 10)
	}
	b = append(b, ",\n      \"multiple\": "...)
	b = strconv.AppendBool(b, p.Multiple)
	b = append(b, ",\n      \"hide_totals\": "...)
	b = strconv.AppendBool(b, p.HideTotals)
	return append(b, "\n    }"...)
}

// appendJSONString appends s as encoding/json writes a string without
// HTML escaping: quoted, with \", \\, \b, \f, \n, \r and \t, the other
// control characters as \u00XX, U+2028 and U+2029 as \u2028 and \u2029,
// and each byte that is not UTF-8 as \ufffd.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
