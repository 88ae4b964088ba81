package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/github/githubtest"
)

// TestPreviewComment: herald preview --format markdown --comment posts,
// byte for byte, the Markdown it prints, with herald's User-Agent, every
// thread part of the example calendar's November in it; the whole calendar
// (110 KB) is cut at a line, closed, with a link to the run's artifacts.
func TestPreviewComment(t *testing.T) {
	srv := githubtest.NewServer(t)
	srv.RequireUserAgent("herald/" + version())
	srv.AddPull(12, "1111111111111111111111111111111111111111")
	event := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(event, []byte(`{"number": 12, "pull_request": {"number": 12}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"GITHUB_TOKEN": githubtest.Token, "GITHUB_REPOSITORY": "acme/calendar", "GITHUB_EVENT_PATH": event,
		"GITHUB_API_URL": srv.URL(), "GITHUB_SERVER_URL": "https://github.com", "GITHUB_RUN_ID": "555",
		// The example calendar is fr-FR; this test is about posting and
		// cutting the comment, so it reads Herald's words in English.
		"HERALD_LANG": "en",
	} {
		t.Setenv(k, v)
	}

	previewComment := func(paths ...string) (stdout, stderr string) {
		t.Helper()
		var out, errOut bytes.Buffer
		args := append([]string{"herald", "-C", "../../example-calendar", "preview", "--format", "markdown", "--comment"}, paths...)
		if code := run(context.Background(), args, strings.NewReader(""), &out, &errOut); code != exitOK {
			t.Fatalf("exit code %d, want 0; stderr:\n%s", code, errOut.String())
		}
		return out.String(), errOut.String()
	}

	stdout, stderr := previewComment("posts/2026/11")
	if want := "herald: created the preview comment on pull request #12\n"; stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	comments := srv.Comments(12)
	if len(comments) != 1 {
		t.Fatalf("%d comments, want 1", len(comments))
	}
	if diff := cmp.Diff(stdout, comments[0].Body); diff != "" {
		t.Errorf("the comment is not what preview printed (-printed +posted):\n%s", diff)
	}
	// Each thread part of the calendar's threads has its own heading.
	for _, part := range []string{"\nPart 1/", "\nPart 2/"} {
		if !strings.Contains(comments[0].Body, part) {
			t.Errorf("the comment has no %q: the example calendar's threads are not shown whole", part)
		}
	}

	stdout, stderr = previewComment()
	want := "herald: updated the preview comment on pull request #12\n" +
		"herald: the preview was longer than a GitHub comment may be: the comment shows its beginning\n"
	if stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	body := srv.Comments(12)[0].Body
	head, note, ok := strings.Cut(body, "```\n\n</details>\n\n---\n\n✂️ **The preview is cut here**")
	if !ok {
		t.Fatalf("the cut comment does not close its code block and <details> before the note; it ends with:\n%s", body[len(body)-500:])
	}
	if !strings.HasPrefix(stdout, head) || len(head) < 60_000 {
		t.Errorf("the comment keeps %d bytes of the %d printed, or not its beginning", len(head), len(stdout))
	}
	if !strings.Contains(note, "(https://github.com/acme/calendar/actions/runs/555)") {
		t.Errorf("the note %q does not link to the run", note)
	}
}
