package check

import (
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
)

// checkRanges reports the numbers and durations of a charter, which has
// passed its schema, that are too large for herald to hold (charter.range),
// at their own line: a max_per_day of 10^20, a min_gap of 300 years.
// Decoding them would fail or overflow, far from where they are written.
func checkRanges(r *reporter, root *yaml.Node) {
	doc := root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	ints := func(field string, v *yaml.Node) {
		var n int
		if v == nil || v.Kind != yaml.ScalarNode || v.Decode(&n) == nil && n <= 1<<31-1 {
			return
		}
		r.add("charter.range", v.Line, v.Column, "check.charter.range.number", i18n.Args{"Field": field, "Value": v.Value, "Max": plainInt(1<<31 - 1)})
	}
	durations := func(field string, v *yaml.Node, days bool) {
		if v == nil || v.Kind != yaml.ScalarNode || v.Value == "" {
			return
		}
		if d, ok := strings.CutSuffix(v.Value, "d"); ok && days {
			if n, err := strconv.ParseInt(d, 10, 64); err == nil && n <= maxDays {
				return
			}
		} else if _, err := time.ParseDuration(v.Value); err == nil {
			return
		}
		r.add("charter.range", v.Line, v.Column, "check.charter.range.duration", i18n.Args{"Field": field, "Value": v.Value, "Days": plainInt(maxDays), "Hours": plainInt(maxDays * 24)})
	}
	_, cadence := load.Lookup(doc, "cadence")
	if cadence != nil {
		if _, m := load.Lookup(cadence, "max_per_day"); m != nil && m.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(m.Content); i += 2 {
				ints("cadence.max_per_day."+m.Content[i].Value, m.Content[i+1])
			}
		}
		for _, f := range []string{"min_gap", "max_lateness", "max_silence"} {
			_, v := load.Lookup(cadence, f)
			durations("cadence."+f, v, f == "max_silence")
		}
	}
	if _, voice := load.Lookup(doc, "voice"); voice != nil {
		for _, f := range []string{"max_hashtags", "max_emojis"} {
			_, v := load.Lookup(voice, f)
			ints("voice."+f, v)
		}
	}
	if _, accounts := load.Lookup(doc, "accounts"); accounts != nil && accounts.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(accounts.Content); i += 2 {
			key, a := accounts.Content[i].Value, accounts.Content[i+1]
			_, v := load.Lookup(a, "max_characters")
			ints("accounts."+key+".max_characters", v)
			_, v = load.Lookup(a, "stats_window")
			durations("accounts."+key+".stats_window", v, true)
		}
	}
}

// maxDays is the most whole days a time.Duration holds.
const maxDays = int64(1<<63-1) / int64(24*time.Hour)
