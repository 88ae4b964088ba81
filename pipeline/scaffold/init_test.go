package scaffold

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/internal/golden"
)

// now is the test's clock: a Wednesday, so that the example post is due
// on Thursday 2026-11-26.
var now = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

func initOpts(dir string, accounts ...string) InitOptions {
	var as []Account
	for _, s := range accounts {
		a, err := ParseAccount(s)
		if err != nil {
			panic(err)
		}
		as = append(as, a)
	}
	return InitOptions{Dir: dir, Brand: "Maison Exemple", Timezone: "Europe/Paris", Locale: "en-US",
		Accounts: as, ActionRef: ActionRef("dev"), Now: now}
}

// checkClean runs herald check on a calendar and fails on any diagnostic,
// warnings included.
func checkClean(t *testing.T, root string) *check.Result {
	t.Helper()
	res, err := check.Run(context.Background(), check.Options{Dir: root, KeepPosts: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		t.Errorf("%s:%d:%d: %s: %s [%s]", d.Path, d.Line, d.Column, d.Severity, d.Message, d.Rule)
	}
	if res.ConfigError {
		t.Fatal("the charter has errors")
	}
	return res
}

func TestInitCalendarChecksClean(t *testing.T) {
	tests := []struct {
		name     string
		opts     func(InitOptions) InitOptions
		accounts []string
		secrets  []string
		networks []string // of the example post
	}{
		{name: "no accounts: a feed and an outbox", networks: []string{"feed", "outbox"}},
		{
			name:     "mastodon, bluesky and x",
			accounts: []string{"mastodon=mastodon,server=https://piaille.fr,max_characters=1000", "bluesky=bluesky,handle=maison.bsky.social", "x=x"},
			secrets:  []string{"HERALD_BLUESKY_PASSWORD", "HERALD_MASTODON_TOKEN", "HERALD_X_API_KEY", "HERALD_X_API_SECRET", "HERALD_X_ACCESS_TOKEN", "HERALD_X_ACCESS_SECRET"},
			networks: []string{"feed", "outbox"},
		},
		{
			name:     "every network with its fields",
			accounts: []string{"m.fr=mastodon,server=https://m.example,visibility=unlisted,stats_window=7d", "bsky-pro=bluesky,handle=pro.example.com,pds=https://pds.example", "li=linkedin,author=urn:li:organization:42", "fb=facebook,page=123", "ig=instagram,user=9", "th=threads,user=8", "dc=discord", "sl=slack,channel=C0123ABCDEF", "tg=telegram,chat=@maison_exemple", "hook=webhook", "hook2=webhook,url=https://hooks.example.com/herald", "xx=x,user_id=12", "blog=feed,path=site/feed.xml,link=https://maison.example,max_entries=50", "archive=outbox,dir=archive"},
			secrets: []string{"HERALD_BSKY_PRO_PASSWORD", "HERALD_DC_WEBHOOK", "HERALD_DC_BOT_TOKEN", "HERALD_FB_TOKEN", "HERALD_HOOK_SECRET", "HERALD_HOOK_URL",
				"HERALD_HOOK2_SECRET", "HERALD_HOOK2_URL", "HERALD_IG_TOKEN", "HERALD_LI_TOKEN", "HERALD_LI_TOKEN_EXPIRES", "HERALD_M_FR_TOKEN",
				"HERALD_SL_TOKEN", "HERALD_TG_TOKEN", "HERALD_TH_TOKEN",
				"HERALD_XX_API_KEY", "HERALD_XX_API_SECRET", "HERALD_XX_ACCESS_TOKEN", "HERALD_XX_ACCESS_SECRET"},
			networks: []string{"blog", "archive"},
		},
		{
			name:     "feed and outbox keys taken by other networks",
			accounts: []string{"feed=mastodon,server=https://m.example", "outbox=x"},
			secrets:  []string{"HERALD_FEED_TOKEN", "HERALD_OUTBOX_API_KEY", "HERALD_OUTBOX_API_SECRET", "HERALD_OUTBOX_ACCESS_TOKEN", "HERALD_OUTBOX_ACCESS_SECRET"},
			networks: []string{"feed", "outbox"}, // a draft, on every account
		},
		{
			name:     "French, with the French key dates",
			opts:     func(o InitOptions) InitOptions { o.Locale = "fr-FR"; return o },
			networks: []string{"feed", "outbox"},
		},
		{
			name: "a brand YAML must quote, far from UTC",
			opts: func(o InitOptions) InitOptions {
				o.Brand = `"Yes": Maison #1`
				o.Timezone = "Pacific/Kiritimati"
				return o
			},
			networks: []string{"feed", "outbox"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "cal")
			opts := initOpts(dir, tt.accounts...)
			if tt.opts != nil {
				opts = tt.opts(opts)
			}
			res, err := Init(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			checked := checkClean(t, dir)
			posts := checked.Calendars[0].Posts
			if len(posts) != 1 {
				t.Fatalf("%d posts, want the example", len(posts))
			}
			var networks []string
			for _, n := range posts[0].Networks {
				networks = append(networks, n.Value)
			}
			if diff := cmp.Diff(tt.networks, networks); diff != "" {
				t.Errorf("the example post's networks (-want +got):\n%s", diff)
			}
			var secrets []string
			for _, s := range res.Secrets {
				secrets = append(secrets, s.Name)
			}
			if diff := cmp.Diff(tt.secrets, secrets); diff != "" {
				t.Errorf("secrets (-want +got):\n%s", diff)
			}
			for _, s := range tt.secrets {
				for _, name := range []string{"README.md", ".github/workflows/herald-publish.yml", ".github/workflows/herald-stats.yml"} {
					content, _ := os.ReadFile(filepath.Join(dir, name))
					if !strings.Contains(string(content), s) {
						t.Errorf("%s does not name the secret %s", name, s)
					}
				}
			}
			if !res.GitInit {
				t.Error("no git repository was made")
			}
			repo, err := git.PlainOpen(dir)
			if err != nil {
				t.Fatal(err)
			}
			head, err := repo.Storer.Reference("HEAD")
			if err != nil || head.Target() != "refs/heads/main" {
				t.Errorf("HEAD is %v (%v), want refs/heads/main", head, err)
			}
		})
	}
}

func TestInitWritesTheFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cal")
	res, err := Init(context.Background(), initOpts(dir))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Files {
		rel, _ := filepath.Rel(dir, f)
		got = append(got, filepath.ToSlash(rel))
	}
	want := []string{"charter.yaml", "posts/2026/11/welcome.md", ".gitignore", "README.md",
		".github/workflows/herald-review.yml", ".github/workflows/herald-comment.yml",
		".github/workflows/herald-publish.yml", ".github/workflows/herald-stats.yml", ".github/workflows/herald-report.yml", ".github/CODEOWNERS"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	post, _ := os.ReadFile(filepath.Join(dir, "posts/2026/11/welcome.md"))
	if !strings.Contains(string(post), "\ndate: 2026-11-26 10:00\n") {
		t.Errorf("the example post is not dated the next day at 10:00:\n%s", post)
	}
	review, _ := os.ReadFile(filepath.Join(dir, ".github/workflows/herald-review.yml"))
	if !strings.Contains(string(review), "uses: herald-social/herald/.github/actions/herald@main\n") {
		t.Errorf("the review workflow does not use herald's action at main")
	}
	if strings.Contains(string(review), "working-directory") {
		t.Errorf("a calendar at the repository's root needs no working-directory")
	}
}

func TestInitRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	readme := filepath.Join(dir, "README.md")
	workflow := filepath.Join(dir, ".github", "workflows", "herald-publish.yml")
	for _, p := range []string{readme, workflow} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("the team's own\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Init(context.Background(), initOpts(dir))
	var conflict *ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("err = %v, want a *ConflictError", err)
	}
	if diff := cmp.Diff([]string{readme, workflow}, conflict.Paths); diff != "" {
		t.Errorf("conflicts (-want +got):\n%s", diff)
	}
	var left []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if !d.IsDir() {
			left = append(left, p)
		}
		return nil
	})
	if diff := cmp.Diff([]string{workflow, readme}, left); diff != "" {
		t.Errorf("init wrote files (-want +got):\n%s", diff)
	}
	if content, _ := os.ReadFile(readme); string(content) != "the team's own\n" {
		t.Errorf("README.md was overwritten: %q", content)
	}
}

// A calendar in a folder of a repository: the workflows go to the
// repository's root, run in the calendar's folder, and no repository is
// made inside the other.
func TestInitInsideARepository(t *testing.T) {
	repoDir := t.TempDir()
	if _, err := git.PlainInit(repoDir, false); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(repoDir, "brands", "maison")
	res, err := Init(context.Background(), initOpts(dir, "mastodon=mastodon,server=https://m.example"))
	if err != nil {
		t.Fatal(err)
	}
	if res.GitInit || res.RepoRoot != repoDir {
		t.Errorf("GitInit %v, RepoRoot %s: want the repository at %s", res.GitInit, res.RepoRoot, repoDir)
	}
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		t.Error("init made a repository inside the repository")
	}
	review, err := os.ReadFile(filepath.Join(repoDir, ".github/workflows/herald-review.yml"))
	if err != nil {
		t.Fatal(err)
	}
	owners, err := os.ReadFile(filepath.Join(repoDir, ".github/CODEOWNERS"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\n/brands/maison/charter.yaml @your-org/calendar-maintainers\n", "\n/.github/                @your-org/calendar-maintainers\n", "\n/brands/maison/posts/    @your-org/calendar-reviewers\n"} {
		if !strings.Contains(string(owners), want) {
			t.Errorf("CODEOWNERS lacks %q:\n%s", want, owners)
		}
	}
	for _, want := range []string{"working-directory: brands/maison\n", "            brands/maison/preview.md\n", "path: brands/maison/site\n"} {
		if !strings.Contains(string(review), want) {
			t.Errorf("the review workflow lacks %q", want)
		}
	}
	checkClean(t, dir)
}

func TestInitUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		opts func(InitOptions) InitOptions
		want string
	}{
		{"unknown time zone", func(o InitOptions) InitOptions { o.Timezone = "Europe/Pariss"; return o },
			`--timezone "Europe/Pariss" is not an IANA time zone: use a name such as Europe/Paris, America/New_York or UTC`},
		{"the machine's zone", func(o InitOptions) InitOptions { o.Timezone = "Local"; return o }, `--timezone "Local" is not an IANA time zone`},
		{"bad locale", func(o InitOptions) InitOptions { o.Locale = "french"; return o }, `--locale "french" is not a BCP 47 language tag`},
		{"no brand", func(o InitOptions) InitOptions { o.Brand = "  "; return o }, `--brand "  ": give the brand's name, on one line`},
		{"same key twice", func(o InitOptions) InitOptions {
			a, _ := ParseAccount("m=mastodon,server=https://m.example")
			o.Accounts = []Account{a, a}
			return o
		}, "--account m is given twice"},
		{"a server that is no URL", func(o InitOptions) InitOptions {
			a, _ := ParseAccount("m=mastodon,server=m.example")
			o.Accounts = []Account{a}
			return o
		}, `these values do not fit the charter schema: accounts/m/server: "m.example" is not a URL: write it with http:// or https:// and a host`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "cal")
			_, err := Init(context.Background(), tt.opts(initOpts(dir)))
			var usage *UsageError
			if !errors.As(err, &usage) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v, want a *UsageError starting %q", err, tt.want)
			}
			if _, err := os.Stat(dir); err == nil {
				t.Error("init wrote something")
			}
		})
	}
}

func TestParseAccount(t *testing.T) {
	tests := []struct {
		in      string
		want    Account
		wantErr string
	}{
		{in: "mastodon=mastodon,server=https://piaille.fr", want: Account{"mastodon", "mastodon", []Field{{"server", "https://piaille.fr"}}}},
		{in: " bsky = bluesky , handle = a.bsky.social ", want: Account{"bsky", "bluesky", []Field{{"handle", "a.bsky.social"}}}},
		{in: "x=x", want: Account{"x", "x", nil}},
		{in: "blog=feed", want: Account{"blog", "feed", []Field{{"path", "public/feed.xml"}}}},
		{in: "archive=outbox,dir=archive", want: Account{"archive", "outbox", []Field{{"dir", "archive"}}}},
		{in: "mastodon", wantErr: `--account "mastodon": write KEY=NETWORK[,field=value...], such as mastodon=mastodon,server=https://mastodon.social`},
		{in: "=mastodon", wantErr: `--account "=mastodon": write KEY=NETWORK`},
		{in: "ma stodon=mastodon", wantErr: `--account "ma stodon=mastodon": the key "ma stodon" may hold only letters, digits`},
		{in: "m=mastodn", wantErr: `--account "m=mastodn": unknown network "mastodn": use one of bluesky, discord, facebook, feed, instagram, linkedin, mastodon, outbox, slack, telegram, threads, webhook, x`},
		{in: "m=mastodon", wantErr: `--account "m=mastodon": a mastodon account needs server=..., such as m=mastodon,server=https://mastodon.social`},
		{in: "b=bluesky", wantErr: `--account "b=bluesky": a bluesky account needs handle=..., such as b=bluesky,handle=brand.bsky.social`},
		{in: "m=mastodon,handle=a", wantErr: `--account "m=mastodon,handle=a": a mastodon account has no field "handle": use server, max_characters, visibility, stats_window`},
		{in: "m=mastodon,server", wantErr: `--account "m=mastodon,server": "server" is not field=value`},
		{in: "m=mastodon,server=https://a,server=https://b", wantErr: `--account "m=mastodon,server=https://a,server=https://b": server is given twice`},
		{in: "dc=discord", want: Account{"dc", "discord", nil}},
		{in: "hook=webhook,url=https://hooks.example.com/herald", want: Account{"hook", "webhook", []Field{{"url", "https://hooks.example.com/herald"}}}},
		{in: "li=linkedin,author=urn:li:person:abc,version=202611", want: Account{"li", "linkedin", []Field{{"author", "urn:li:person:abc"}, {"version", "202611"}}}},
		{in: "li=linkedin", wantErr: `--account "li=linkedin": a linkedin account needs author=..., such as li=linkedin,author=urn:li:organization:2414183`},
		{in: "fb=facebook", wantErr: `--account "fb=facebook": a facebook account needs page=..., such as fb=facebook,page=104538291234567`},
		{in: "ig=instagram", wantErr: `--account "ig=instagram": an instagram account needs user=..., such as ig=instagram,user=17841405822304914`},
		{in: "th=threads", wantErr: `--account "th=threads": a threads account needs user=..., such as th=threads,user=25025320830145792`},
		{in: "sl=slack", wantErr: `--account "sl=slack": a slack account needs channel=..., such as sl=slack,channel=C0123ABCDEF`},
		{in: "tg=telegram", wantErr: `--account "tg=telegram": a telegram account needs chat=..., such as tg=telegram,chat=@brand_channel`},
		{in: "sl=slack,channel=#social", wantErr: `--account "sl=slack,channel=#social": channel #social is a name: give the channel's id, such as sl=slack,channel=C0123ABCDEF`},
		{in: "x=x,handle=brand", wantErr: `--account "x=x,handle=brand": an x account has no field "handle": use user_id, api, stats_window`},
		{in: "dc=discord,webhook=https://discord.com/api/webhooks/1/a", wantErr: `--account "dc=discord,webhook=https://discord.com/api/webhooks/1/a": a discord account has no field "webhook": use channel, api, stats_window`},
		{in: "hook=webhook,secret=whsec_abc", wantErr: `--account "hook=webhook,secret=whsec_abc": a webhook account has no field "secret": use url, stats_window`},
		{in: "blog=feed,path=f.xml,max_entries=20", want: Account{"blog", "feed", []Field{{"path", "f.xml"}, {"max_entries", "20"}}}},
		{in: "blog=feed,path=f.xml,max_entries=all", wantErr: `--account "blog=feed,path=f.xml,max_entries=all": max_entries must be a positive whole number`},
		{in: "blog=feed,path=f.xml,handle=a", wantErr: `--account "blog=feed,path=f.xml,handle=a": a feed account has no field "handle": use path, title, link, max_entries, stats_window`},
		{in: "m=mastodon,server=https://a,max_characters=lots", wantErr: `--account "m=mastodon,server=https://a,max_characters=lots": max_characters must be a positive whole number`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseAccount(tt.in)
			if tt.wantErr != "" {
				var usage *UsageError
				if !errors.As(err, &usage) || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want a *UsageError starting %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestPrompter(t *testing.T) {
	var out strings.Builder
	p := NewPrompter(strings.NewReader("\nEurope/Pariss\nEurope/Paris\n"), &out, nil)
	notEmpty := func(s string) error {
		if s == "" {
			return errors.New("empty")
		}
		return nil
	}
	brand, err := p.Ask(context.Background(), "Brand name", "Cal", notEmpty)
	if err != nil || brand != "Cal" {
		t.Errorf("brand = %q, %v; want the default", brand, err)
	}
	tz, err := p.Ask(context.Background(), "Time zone", "UTC", func(s string) error { _, err := LoadTimezone(s); return err })
	if err != nil || tz != "Europe/Paris" {
		t.Errorf("time zone = %q, %v; want Europe/Paris, asked again", tz, err)
	}
	// The input has ended: the default, without asking.
	locale, err := p.Ask(context.Background(), "Language", "en-US", CheckLocale)
	if err != nil || locale != "en-US" {
		t.Errorf("locale = %q, %v; want the default", locale, err)
	}
	want := "Brand name [Cal]: Time zone [UTC]:   --timezone \"Europe/Pariss\" is not an IANA time zone: use a name such as Europe/Paris, America/New_York or UTC\n" +
		"Time zone [UTC]: Language [en-US]: \n"
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("questions (-want +got):\n%s", diff)
	}
}

// errorsOf returns the errors and warnings of a check, as text.
func errorsOf(ds []diag.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Severity.String()+" "+d.Rule+": "+d.Message)
	}
	return slices.Clip(out)
}

// Every template that is written once per language (NAME.LANG.EXT, such
// as README.fr.md.tmpl) exists in every language Herald speaks, as every
// message of the catalog does (i18n's TestEveryLanguageHasEveryMessage),
// and renders.
func TestEveryLanguageHasItsTemplates(t *testing.T) {
	files, err := fs.Glob(templates, "templates/*/*")
	if err != nil {
		t.Fatal(err)
	}
	perLanguage := regexp.MustCompile(`^(.+)\.([a-z]{2,3})(\.[^/]+\.tmpl)$`)
	langs := i18n.Languages()
	found := 0
	for _, file := range files {
		m := perLanguage.FindStringSubmatch(file)
		if m == nil || !slices.Contains(langs, m[2]) {
			continue
		}
		found++
		for _, lang := range langs {
			want := m[1] + "." + lang + m[3]
			if _, err := fs.Stat(templates, want); err != nil {
				t.Errorf("%s has no %s translation: write %s", file, lang, want)
			}
		}
	}
	if found == 0 {
		t.Fatal("no template per language found: the README is one")
	}
	for _, lang := range langs {
		p, _ := i18n.New(lang)
		d := newCalendarData(p, "Maison", "Europe/Paris", lang, []Account{{Key: "feed", Network: "feed"}}, now)
		name := readmeTemplate(lang)
		if name != "README."+lang+".md.tmpl" {
			t.Errorf("the README in %s is %s", lang, name)
		}
		if _, err := render("templates/calendar/"+name, d, d.funcs()); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestInitGolden writes the same calendar in English and in French
// (locale en-US and fr-FR, the files in the charter's language, as herald
// init writes them) and compares its files with testdata/init/LANG: the
// charter's comments and editorial line, the example post and README.md.
// Both check clean; the workflows and .gitignore are the same in every
// language.
func TestInitGolden(t *testing.T) {
	workflows := map[string]string{}
	for _, c := range []struct{ lang, locale string }{{"en", "en-US"}, {"fr", "fr-FR"}} {
		t.Run(c.lang, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "cal")
			opts := initOpts(dir, "mastodon=mastodon,server=https://piaille.fr", "insta=instagram,user=17841400000000000", "dc=discord")
			opts.Locale = c.locale
			p, ok := i18n.New(c.locale)
			if !ok || p.Lang() != c.lang {
				t.Fatalf("locale %s: no %s printer", c.locale, c.lang)
			}
			opts.Printer = p
			res, err := Init(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			checkClean(t, dir)
			for _, f := range res.Files {
				rel, _ := filepath.Rel(dir, f)
				rel = filepath.ToSlash(rel)
				content, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if strings.HasPrefix(rel, ".github/") || rel == ".gitignore" { // no words for people
					if other, ok := workflows[rel]; ok && other != string(content) {
						t.Errorf("%s differs between languages", rel)
					}
					workflows[rel] = string(content)
					continue
				}
				golden.Check(t, filepath.Join("testdata", "init", c.lang, filepath.FromSlash(rel)), content)
			}
		})
	}
}

// interruptedAfter is a context that is done once Err has been asked n
// times: a signal arriving while Init writes its files.
type interruptedAfter struct {
	context.Context
	n int
}

func (c *interruptedAfter) Err() error {
	if c.n--; c.n < 0 {
		return context.Canceled
	}
	return nil
}

// Init interrupted half-way (SIGINT, SIGTERM) removes the files and
// folders it wrote: the folder is left as it was, and no git repository
// is made.
func TestInitInterrupted(t *testing.T) {
	for _, after := range []int{0, 3, 8} {
		t.Run(fmt.Sprintf("after %d files", after), func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "cal")
			res, err := Init(&interruptedAfter{context.Background(), after}, initOpts(dir))
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Init interrupted: %v, want context.Canceled", err)
			}
			if res != nil && len(res.Files) > 0 {
				t.Errorf("Init says it wrote %q", res.Files)
			}
			var left []string
			filepath.WalkDir(parent, func(p string, d os.DirEntry, err error) error {
				if p != parent {
					left = append(left, p)
				}
				return nil
			})
			if len(left) > 0 {
				t.Errorf("left behind:\n%s", strings.Join(left, "\n"))
			}
		})
	}
}

// CODEOWNERS gives the charter, the schemas and .github/ to the
// maintainers (--owner), posts/ and media/ to the reviewers (--reviewer);
// without them, placeholders and a comment that says to replace them.
// A value that names no GitHub user or team is refused.
func TestInitCodeOwners(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cal")
	opts := initOpts(dir)
	opts.Owners = []string{"@maison/community", "@bob"}
	opts.Reviewers = []string{"@alice"}
	if _, err := Init(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, ".github/CODEOWNERS"))
	want := `# Who must approve a change before it reaches main. Whatever reaches main
# is published by the scheduled workflow: the review is what stands between
# a change and the brand's accounts. GitHub asks these people for a review;
# branch protection makes their approval required (README.md, "Protecting
# main"). The last line that matches a file decides.

# The calendar's maintainers: the charter, the schemas and the workflows.
/charter.yaml            @maison/community @bob
/schema/                 @maison/community @bob
/*.schema.json           @maison/community @bob
/.github/                @maison/community @bob

# Its reviewers: the posts and their media.
/posts/                  @alice
/media/                  @alice
`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("CODEOWNERS (-want +got):\n%s", diff)
	}
	readme, _ := os.ReadFile(filepath.Join(dir, "README.md"))
	for _, want := range []string{"## Protecting main", "**Require review from Code Owners**", "**Block force pushes**"} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README.md lacks %q", want)
		}
	}

	placeholders := codeOwners("", nil, []string{"@alice"})
	for _, want := range []string{"Replace the placeholders @your-org/...", "/charter.yaml            @your-org/calendar-maintainers\n", "/posts/                  @alice\n"} {
		if !strings.Contains(string(placeholders), want) {
			t.Errorf("CODEOWNERS without --owner lacks %q:\n%s", want, placeholders)
		}
	}

	for _, bad := range []string{"alice", "@", "@-alice", "@alice/", "@a b", "alice@example.com", "@org/team/sub"} {
		opts := initOpts(filepath.Join(t.TempDir(), "cal"))
		opts.Reviewers = []string{bad}
		_, err := Init(context.Background(), opts)
		var usage *UsageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), "give a GitHub user (@name) or team (@org/team)") {
			t.Errorf("--reviewer %q: %v, want a *UsageError", bad, err)
		}
	}
}
