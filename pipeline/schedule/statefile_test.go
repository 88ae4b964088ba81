package schedule

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/state"
)

func TestStateFiles(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"state/posts/2026/12/avent.json": `{"accounts": {"mastodon": {"status": "published", "ids": ["1"], "stats": []}, "x": {"status": "failed"}}}`,
		"state/posts/empty.json":         `{}`,
		"state/posts/null-account.json":  `{"accounts": {"mastodon": null}}`,
		"state/posts/truncated.json":     `{"accounts": {"mastodon": {"status": "publ`,
		"state/posts/number.json":        `{"accounts": {"mastodon": {"status": 3}}}`,
		"state/posts/list.json":          `[]`,
		"state/posts/accounts-list.json": `{"accounts": ["mastodon"]}`,
		"state/custom-id.json":           `{"accounts": {"mastodon": {"status": "publishing"}}}`,
		"state/posts/huge.json":          `{"accounts": {}, "x": "` + strings.Repeat("a", state.MaxFileSize) + `"}`,
	}
	for name, content := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(root, "state", "posts", "folder.json"), 0o755); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, post, account string
		want                string
		wantErr             string
	}{
		{"published, in a folder mirroring the post's", "posts/2026/12/avent", "mastodon", "published", ""},
		{"another account of the same file", "posts/2026/12/avent", "x", "failed", ""},
		{"an account the file does not name", "posts/2026/12/avent", "bluesky", "", ""},
		{"no state file: nothing recorded", "posts/2026/12/nouveau", "mastodon", "", ""},
		{"an id set in the front matter", "custom-id", "mastodon", "publishing", ""},
		{"no accounts", "posts/empty", "mastodon", "", ""},
		{"a null account", "posts/null-account", "mastodon", "", ""},
		{"truncated", "posts/truncated", "mastodon", "", "state file unreadable: state/posts/truncated.json:1:43: the file ends in the middle of the JSON: it was cut short"},
		{"a status of the wrong type", "posts/number", "mastodon", "",
			"state file unreadable: state/posts/number.json:1:38: accounts.mastodon.status: a number, want a string"},
		{"not an object", "posts/list", "mastodon", "",
			"state file unreadable: state/posts/list.json:1:1: is an array, want an object"},
		{"accounts not an object", "posts/accounts-list", "mastodon", "", "state file unreadable: state/posts/accounts-list.json:1:14: accounts: is an array, want an object"},
		{"a folder", "posts/folder", "mastodon", "", "state file unreadable: state/posts/folder.json: is a folder, not a state file"},
		{"larger than state.MaxFileSize", "posts/huge", "mastodon", "", "state file unreadable: state/posts/huge.json: 4.0 MiB, more than the 4 MiB a state file may hold"},
		{"an id that would share state/accounts/", "accounts/feed", "feed", "",
			`state file unreadable: post id "accounts/feed" would share state/accounts/ with the accounts' follower counts: give the post another id`},
		{"an id climbing out of state/", "a/../../../etc/passwd", "mastodon", "",
			`state file unreadable: post id "a/../../../etc/passwd" is not a clean slash-separated path inside the calendar`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := StateFiles(root).Status(tc.post, tc.account)
			gotErr := ""
			if err != nil {
				// What follows says how to restore the file from git.
				gotErr, _, _ = strings.Cut(err.Error(), " (herald writes this file: restore it from git: git log -- ")
			}
			if string(got) != tc.want || gotErr != tc.wantErr {
				t.Errorf("Status(%q, %q) = %q, %q; want %q, %q", tc.post, tc.account, got, gotErr, tc.want, tc.wantErr)
			}
		})
	}
}
