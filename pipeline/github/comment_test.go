package github_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/github"
	"github.com/herald-social/herald/pipeline/github/githubtest"
)

const (
	headSHA  = "1111111111111111111111111111111111111111"
	otherSHA = "2222222222222222222222222222222222222222"
)

// fixture is a fake GitHub and the environment of a job that talks to it.
type fixture struct {
	t   *testing.T
	srv *githubtest.Server
	env map[string]string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv := githubtest.NewServer(t)
	srv.RequireUserAgent("herald/test")
	return &fixture{t: t, srv: srv, env: map[string]string{
		"GITHUB_TOKEN":      githubtest.Token,
		"GITHUB_REPOSITORY": githubtest.Owner + "/" + githubtest.Repo,
		"GITHUB_API_URL":    srv.URL(),
		"GITHUB_SERVER_URL": "https://github.com",
		"GITHUB_RUN_ID":     "555",
	}}
}

// event writes a webhook payload where GITHUB_EVENT_PATH says.
func (f *fixture) event(payload string) {
	f.t.Helper()
	path := filepath.Join(f.t.TempDir(), "event.json")
	if err := os.WriteFile(path, []byte(payload), 0o644); err != nil {
		f.t.Fatal(err)
	}
	f.env["GITHUB_EVENT_PATH"] = path
}

func pullRequestEvent(n int, sha, headRepo string) string {
	return fmt.Sprintf(`{"action": "synchronize", "number": %d, "pull_request": {"number": %d,
		"head": {"sha": %q, "repo": {"full_name": %q}}, "base": {"repo": {"full_name": "acme/calendar"}}}}`,
		n, n, sha, headRepo)
}

func workflowRunEvent(id int64, sha string) string {
	return fmt.Sprintf(`{"action": "completed", "workflow_run": {"id": %d, "head_sha": %q, "event": "pull_request",
		"head_repository": {"full_name": "contributor/calendar"}, "pull_requests": []}}`, id, sha)
}

func (f *fixture) commenter() *github.Commenter {
	f.t.Helper()
	c, err := github.New(f.options())
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *fixture) options() github.Options {
	return github.Options{
		Getenv:    func(k string) string { return f.env[k] },
		UserAgent: "herald/test",
		Now:       func() time.Time { return time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC) },
	}
}

// post posts markdown for pull request n (0: the event's) and fails the
// test on an error.
func (f *fixture) post(markdown string, n int) github.Result {
	f.t.Helper()
	res, err := f.commenter().Post(context.Background(), markdown, n)
	if err != nil {
		f.t.Fatalf("Post: %v", err)
	}
	return res
}

// requests are the requests the server got since the last call, as
// "METHOD /path?query".
func (f *fixture) requests() []string {
	var out []string
	for _, r := range f.srv.TakeRequests() {
		out = append(out, r.String())
	}
	return out
}

func bodies(cs []githubtest.Comment) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%d %s: %s", c.ID, c.Login, c.Body))
	}
	return out
}

const (
	list12  = "GET /repos/acme/calendar/issues/12/comments?per_page=100"
	post12  = "POST /repos/acme/calendar/issues/12/comments"
	preview = github.Marker + "\n### Herald preview: 1 post\n"
)

// TestStickyComment: the first run creates the comment, the second updates
// that same comment, a third with the same preview leaves it alone, and
// another pull request gets a comment of its own.
func TestStickyComment(t *testing.T) {
	f := newFixture(t)
	f.srv.AddPull(12, headSHA)
	f.srv.AddPull(13, otherSHA)
	f.srv.AddComment(12, "reviewer", "Looks good, but see the X variant.")
	f.event(pullRequestEvent(12, headSHA, "acme/calendar"))

	first := f.post(preview, 0)
	if first.Action != github.Created || first.PullRequest != 12 || first.CommentID == 0 {
		t.Errorf("first run: %+v, want a created comment on #12", first)
	}
	if want := fmt.Sprintf("https://github.com/acme/calendar/pull/12#issuecomment-%d", first.CommentID); first.URL != want {
		t.Errorf("first run: URL %q, want %q", first.URL, want)
	}
	if diff := cmp.Diff([]string{list12, post12}, f.requests()); diff != "" {
		t.Errorf("first run's requests (-want +got):\n%s", diff)
	}

	changed := preview + "\nOne more line.\n"
	second := f.post(changed, 0)
	if second.Action != github.Updated || second.CommentID != first.CommentID {
		t.Errorf("second run: %+v, want comment %d updated", second, first.CommentID)
	}
	patch := fmt.Sprintf("PATCH /repos/acme/calendar/issues/comments/%d", first.CommentID)
	if diff := cmp.Diff([]string{list12, patch}, f.requests()); diff != "" {
		t.Errorf("second run's requests (-want +got):\n%s", diff)
	}

	third := f.post(changed, 0)
	if third.Action != github.Unchanged || third.CommentID != first.CommentID {
		t.Errorf("third run: %+v, want comment %d unchanged", third, first.CommentID)
	}
	if diff := cmp.Diff([]string{list12}, f.requests()); diff != "" {
		t.Errorf("third run's requests (-want +got):\n%s", diff)
	}

	want12 := []string{
		"1001 reviewer: Looks good, but see the X variant.",
		fmt.Sprintf("%d github-actions[bot]: %s", first.CommentID, changed),
	}
	if diff := cmp.Diff(want12, bodies(f.srv.Comments(12))); diff != "" {
		t.Errorf("pull request #12's comments (-want +got):\n%s", diff)
	}

	f.event(pullRequestEvent(13, otherSHA, "acme/calendar"))
	other := f.post(preview, 0)
	if other.Action != github.Created || other.PullRequest != 13 || other.CommentID == first.CommentID {
		t.Errorf("pull request #13: %+v, want a comment of its own", other)
	}
	if diff := cmp.Diff(want12, bodies(f.srv.Comments(12))); diff != "" {
		t.Errorf("pull request #12's comments after #13's (-want +got):\n%s", diff)
	}
	if got := len(f.srv.Comments(13)); got != 1 {
		t.Errorf("pull request #13 has %d comments, want 1", got)
	}
}

// TestStickyCommentAmongOthers: the marked comment is found on the second
// page of a long discussion, among others' comments and comments that
// merely quote the marker; of two marked comments (left by an older
// herald) the newest is updated and the older left alone.
func TestStickyCommentAmongOthers(t *testing.T) {
	f := newFixture(t)
	f.srv.AddPull(12, headSHA)
	older := f.srv.AddComment(12, githubtest.BotLogin, github.Marker+"\nan older preview")
	for i := range 130 {
		body := fmt.Sprintf("comment %d", i)
		if i == 7 {
			body = "> " + github.Marker + "\n> quoting the preview"
		}
		f.srv.AddComment(12, "reviewer", body)
	}
	newest := f.srv.AddComment(12, githubtest.BotLogin, github.Marker+"\nthe last preview")
	f.srv.AddComment(12, "reviewer", "a reply after it")
	f.event(pullRequestEvent(12, headSHA, "acme/calendar"))

	res := f.post(preview, 0)
	if res.Action != github.Updated || res.CommentID != newest {
		t.Errorf("got %+v, want comment %d (the newest marked one) updated", res, newest)
	}
	want := []string{
		list12,
		"GET /repos/acme/calendar/issues/12/comments?page=2&per_page=100",
		fmt.Sprintf("PATCH /repos/acme/calendar/issues/comments/%d", newest),
	}
	if diff := cmp.Diff(want, f.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	for _, c := range f.srv.Comments(12) {
		switch {
		case c.ID == older && c.Body != github.Marker+"\nan older preview":
			t.Errorf("the older marked comment was changed to %q", c.Body)
		case c.ID == newest && c.Body != preview:
			t.Errorf("the newest marked comment is %q, want %q", c.Body, preview)
		case c.Login == "reviewer" && !strings.HasPrefix(c.Body, "comment ") && !strings.HasPrefix(c.Body, "> ") && c.Body != "a reply after it":
			t.Errorf("a reviewer's comment was changed to %q", c.Body)
		}
	}
	if got := len(f.srv.Comments(12)); got != 133 {
		t.Errorf("pull request #12 has %d comments, want 133 (none added)", got)
	}
}

// TestMarkerAdded: a body without the marker line gets it, so that the
// next run finds the comment.
func TestMarkerAdded(t *testing.T) {
	f := newFixture(t)
	f.srv.AddPull(12, headSHA)
	f.event(pullRequestEvent(12, headSHA, "acme/calendar"))
	f.post("### Hand-written\r\nwith CRLF\r\n", 0)
	got := bodies(f.srv.Comments(12))
	if want := []string{"1001 github-actions[bot]: " + github.Marker + "\n### Hand-written\nwith CRLF\n"}; !cmp.Equal(want, got) {
		t.Errorf("comments %q, want %q", got, want)
	}
	if res := f.post("### Hand-written\nwith CRLF\n", 0); res.Action != github.Unchanged {
		t.Errorf("the same text again: %s, want unchanged", res.Action)
	}
}

// TestWorkflowRun: from a workflow_run event (the fork path), the pull
// request named by the artifact gets the comment only when its head is the
// commit the review run built.
func TestWorkflowRun(t *testing.T) {
	t.Run("matching head", func(t *testing.T) {
		f := newFixture(t)
		f.srv.AddPull(12, headSHA)
		f.event(workflowRunEvent(777, headSHA))
		res := f.post(preview, 12)
		if res.Action != github.Created || res.PullRequest != 12 {
			t.Errorf("got %+v, want a created comment on #12", res)
		}
		want := []string{"GET /repos/acme/calendar/pulls/12", list12, post12}
		if diff := cmp.Diff(want, f.requests()); diff != "" {
			t.Errorf("requests (-want +got):\n%s", diff)
		}
	})
	t.Run("another head", func(t *testing.T) {
		f := newFixture(t)
		f.srv.AddPull(12, otherSHA)
		f.event(workflowRunEvent(777, headSHA))
		_, err := f.commenter().Post(context.Background(), preview, 12)
		wantConfigError(t, err, "the artifact does not belong to pull request #12: its head is 222222222222, but the run that wrote the artifact built 111111111111")
		if diff := cmp.Diff([]string{"GET /repos/acme/calendar/pulls/12"}, f.requests()); diff != "" {
			t.Errorf("requests (-want +got):\n%s", diff)
		}
		if got := f.srv.Comments(12); len(got) != 0 {
			t.Errorf("comments %v, want none", got)
		}
	})
	// The same branch at a newer commit: the pull request moved on since
	// the review ran, and the newer review's run comments. Not a failure.
	t.Run("moved on", func(t *testing.T) {
		f := newFixture(t)
		f.srv.AddPull(12, otherSHA)
		f.event(strings.Replace(workflowRunEvent(777, headSHA), `"head_sha"`, `"head_branch": "feature", "head_sha"`, 1))
		res, err := f.commenter().Post(context.Background(), preview, 12)
		if err != nil || res.Action != github.MovedOn || res.PullRequest != 12 {
			t.Errorf("got %+v, %v; want moved-on on #12", res, err)
		}
		if got := f.srv.Comments(12); len(got) != 0 {
			t.Errorf("comments %v, want none", got)
		}
	})
	t.Run("no such pull request", func(t *testing.T) {
		f := newFixture(t)
		f.event(workflowRunEvent(777, headSHA))
		_, err := f.commenter().Post(context.Background(), preview, 99)
		wantConfigError(t, err, "reading pull request #99: GitHub found no repository acme/calendar or no pull request #99 in it (404 Not Found)")
	})
	t.Run("no number", func(t *testing.T) {
		f := newFixture(t)
		f.event(workflowRunEvent(777, headSHA))
		_, err := f.commenter().Post(context.Background(), preview, 0)
		wantConfigError(t, err, "a workflow_run event names no pull request: give the number")
		if got := f.requests(); len(got) != 0 {
			t.Errorf("requests %q, want none", got)
		}
	})
	t.Run("cut links the review run", func(t *testing.T) {
		f := newFixture(t)
		f.srv.AddPull(12, headSHA)
		f.event(workflowRunEvent(777, headSHA))
		res := f.post(github.Marker+"\n"+strings.Repeat("a line of the preview\n", 4000), 12)
		body := f.srv.Comments(12)[0].Body
		if !res.Cut || !strings.Contains(body, "(https://github.com/acme/calendar/actions/runs/777)") {
			t.Errorf("cut %v; the body ends with %q, want a link to run 777", res.Cut, body[len(body)-300:])
		}
	})
}

// TestPullRequestNumberOfAnother: with a pull_request event, a number that
// is not the event's is refused rather than commented on.
func TestPullRequestNumberOfAnother(t *testing.T) {
	f := newFixture(t)
	f.event(pullRequestEvent(12, headSHA, "acme/calendar"))
	_, err := f.commenter().Post(context.Background(), preview, 13)
	wantConfigError(t, err, "--pull-request 13: this run is for pull request #12")
}

// TestOversizeBody: a preview over GitHub's limit is cut at a line, with
// a note linking to the run's artifacts, and GitHub takes it.
func TestOversizeBody(t *testing.T) {
	f := newFixture(t)
	f.srv.AddPull(12, headSHA)
	f.event(pullRequestEvent(12, headSHA, "acme/calendar"))
	var b strings.Builder
	b.WriteString(github.Marker + "\n")
	for i := 0; b.Len() < 200_000; i++ {
		fmt.Fprintf(&b, "\n<details><summary>post %d</summary>\n\n```text\nUne ligne de texte, été comme hiver 🥸 %d\n```\n\n</details>\n", i, i)
	}
	res := f.post(b.String(), 0)
	if !res.Cut {
		t.Error("Cut is false for a 200 KB preview")
	}
	body := f.srv.Comments(12)[0].Body
	if n := len([]rune(body)); n > github.MaxBody {
		t.Errorf("the posted body is %d characters, over %d", n, github.MaxBody)
	}
	note := "\n---\n\n✂️ **The preview is cut here**: it is longer than a GitHub comment may be; the whole preview is in the artifacts of [the workflow run](https://github.com/acme/calendar/actions/runs/555).\n"
	if !strings.HasSuffix(body, note) {
		t.Errorf("the body ends with %q, want the note %q", body[len(body)-400:], note)
	}
	if !strings.HasPrefix(body, github.Marker+"\n") {
		t.Errorf("the body starts with %q, want the marker", body[:40])
	}
}

// TestErrors: what herald says when GitHub refuses; never the token.
func TestErrors(t *testing.T) {
	rateReset := time.Date(2026, 11, 2, 10, 12, 30, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		token    string
		headRepo string
		fail     func(*githubtest.Server)
		config   bool // a ConfigError (exit 2)
		want     string
	}{
		{
			name: "read-only token", token: githubtest.ReadOnlyToken, headRepo: "acme/calendar", config: true,
			want: "commenting on pull request #12: GitHub refused the token (403 Resource not accessible by integration): " +
				"it cannot comment on this repository's pull requests; give the job permissions: pull-requests: write. " +
				"A pull request from a fork gets a read-only token whatever the workflow asks: for those, the " +
				"herald-comment workflow (on workflow_run) posts the preview from the review's artifact",
		},
		{
			name: "fork", token: githubtest.ReadOnlyToken, headRepo: "contributor/calendar", config: true,
			want: "commenting on pull request #12: GitHub refused the token (403 Resource not accessible by integration): " +
				"it cannot comment on this repository's pull requests; pull request #12 comes from the fork " +
				"contributor/calendar, and GitHub gives its workflows a read-only token: let the herald-comment " +
				"workflow (on workflow_run) post the preview from the review's artifact",
		},
		{
			name: "bad token", token: "ghs_revoked_0123456789", headRepo: "acme/calendar", config: true,
			want: "listing the comments of pull request #12: GitHub refused the token (401 Bad credentials): it cannot comment",
		},
		{
			name: "rate limit", headRepo: "acme/calendar",
			fail: func(s *githubtest.Server) {
				s.FailNext(http.StatusForbidden, http.Header{
					"X-Ratelimit-Limit": {"1000"}, "X-Ratelimit-Remaining": {"0"},
					"X-Ratelimit-Reset": {fmt.Sprint(rateReset.Unix())},
				}, `{"message": "API rate limit exceeded for installation ID 1.", "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}`)
			},
			want: "listing the comments of pull request #12: the token has used up GitHub's API rate limit until 10:12:30 UTC (in 12m30s): run the job again then",
		},
		{
			name: "secondary rate limit", headRepo: "acme/calendar",
			fail: func(s *githubtest.Server) {
				s.FailNext(http.StatusForbidden, http.Header{"Retry-After": {"90"}},
					`{"message": "You have exceeded a secondary rate limit.", "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`)
			},
			want: "listing the comments of pull request #12: GitHub's secondary rate limit stopped herald (too many requests at once): run the job again in 1m30s",
		},
		{
			name: "server error", headRepo: "acme/calendar",
			fail: func(s *githubtest.Server) {
				s.FailNext(http.StatusBadGateway, nil, `{"message": "Server Error"}`)
			},
			want: "listing the comments of pull request #12: GitHub failed (502 Server Error): run the job again later",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.srv.AddPull(12, headSHA)
			f.event(pullRequestEvent(12, headSHA, tc.headRepo))
			if tc.token != "" {
				f.env["GITHUB_TOKEN"] = tc.token
			}
			if tc.fail != nil {
				tc.fail(f.srv)
			}
			_, err := f.commenter().Post(context.Background(), preview, 0)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error:\n%v\nwant it to start with:\n%s", err, tc.want)
			}
			var ce *github.ConfigError
			if errors.As(err, &ce) != tc.config {
				t.Errorf("ConfigError: %v, want %v", !tc.config, tc.config)
			}
			if strings.Contains(err.Error(), f.env["GITHUB_TOKEN"]) {
				t.Errorf("the error shows the token: %v", err)
			}
			if got := f.srv.Comments(12); len(got) != 0 {
				t.Errorf("comments %v, want none", got)
			}
		})
	}
}

// TestTimeout: a GitHub that does not answer is given up on after the
// timeout, with a message that says so.
func TestTimeout(t *testing.T) {
	f := newFixture(t)
	f.event(pullRequestEvent(12, headSHA, "acme/calendar"))
	opts := f.options()
	opts.Timeout = 50 * time.Millisecond
	opts.HTTPClient = &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		<-r.Context().Done()
		return nil, r.Context().Err()
	})}
	c, err := github.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Post(context.Background(), preview, 0)
	if want := "listing the comments of pull request #12: GitHub did not answer within 50ms: run the job again"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestEnvironment: each missing variable is named, and says where herald
// comments from.
func TestEnvironment(t *testing.T) {
	for _, tc := range []struct {
		unset, set, value string
		want              string
	}{
		{unset: "GITHUB_TOKEN", want: "GITHUB_TOKEN is not set: commenting on a pull request runs in GitHub Actions; pass the job's token to herald with env: GITHUB_TOKEN: ${{ github.token }}"},
		{unset: "GITHUB_REPOSITORY", want: "GITHUB_REPOSITORY is not set: commenting on a pull request runs in GitHub Actions, which sets it"},
		{unset: "GITHUB_EVENT_PATH", want: "GITHUB_EVENT_PATH is not set: commenting on a pull request runs in GitHub Actions, which sets it"},
		{set: "GITHUB_REPOSITORY", value: "calendar", want: `GITHUB_REPOSITORY "calendar" is not owner/name`},
		{set: "GITHUB_API_URL", value: "api.github.com", want: `GITHUB_API_URL "api.github.com" is not an http(s) URL`},
		{set: "GITHUB_EVENT_PATH", value: "/nonexistent/event.json", want: "GITHUB_EVENT_PATH: cannot read the event: open /nonexistent/event.json: no such file or directory"},
	} {
		t.Run(tc.unset+tc.set, func(t *testing.T) {
			f := newFixture(t)
			f.event(pullRequestEvent(12, headSHA, "acme/calendar"))
			delete(f.env, tc.unset)
			if tc.set != "" {
				f.env[tc.set] = tc.value
			}
			_, err := github.New(f.options())
			wantConfigError(t, err, tc.want)
		})
	}
	t.Run("defaults", func(t *testing.T) {
		env, err := github.ReadEnv(func(k string) string {
			return map[string]string{"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "acme/calendar", "GITHUB_EVENT_PATH": "e"}[k]
		})
		if err != nil {
			t.Fatal(err)
		}
		want := github.Env{Token: "t", Owner: "acme", Repo: "calendar", EventPath: "e",
			APIURL: "https://api.github.com/", ServerURL: "https://github.com"}
		if diff := cmp.Diff(want, env); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("another event", func(t *testing.T) {
		f := newFixture(t)
		f.event(`{"ref": "refs/heads/main", "commits": []}`)
		_, err := github.New(f.options())
		wantConfigError(t, err, f.env["GITHUB_EVENT_PATH"]+": the event is about no pull request: herald comments from a workflow started by pull_request, or by workflow_run after one")
	})
}

// TestReadEvent reads the fields herald needs from each kind of event.
func TestReadEvent(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, payload string
		want          github.Event
	}{
		{"pull_request", pullRequestEvent(12, headSHA, "contributor/calendar"), github.Event{
			Name: "pull_request", PullRequest: 12, BaseRepo: "acme/calendar", HeadRepo: "contributor/calendar", HeadSHA: headSHA}},
		{"workflow_run", workflowRunEvent(777, headSHA), github.Event{
			Name: "workflow_run", HeadSHA: headSHA, RunID: 777, HeadRepo: "contributor/calendar"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".json")
			if err := os.WriteFile(path, []byte(tc.payload), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := github.ReadEvent(path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func wantConfigError(t *testing.T, err error, prefix string) {
	t.Helper()
	var ce *github.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v (%T), want a ConfigError starting with %q", err, err, prefix)
	}
	if !strings.HasPrefix(err.Error(), prefix) {
		t.Errorf("error:\n%v\nwant it to start with:\n%s", err, prefix)
	}
}
