package schema

import (
	"encoding/json"
	"testing"
)

// TestPatternMeanings: every pattern of the charter and post schemas has
// a sentence in patternMeanings, so that no error shows a person a raw
// regular expression.
func TestPatternMeanings(t *testing.T) {
	for name, doc := range map[string][]byte{"charter.schema.json": Charter, "post.schema.json": Post} {
		var v any
		if err := json.Unmarshal(doc, &v); err != nil {
			t.Fatal(err)
		}
		var walk func(any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				if p, ok := v["pattern"].(string); ok {
					if _, ok := patternMeanings[p]; !ok {
						t.Errorf("%s: the pattern %s has no meaning in patternMeanings", name, p)
					}
				}
				for _, c := range v {
					walk(c)
				}
			case []any:
				for _, c := range v {
					walk(c)
				}
			}
		}
		walk(v)
	}
}
