// Package scaffold writes what a team starts from: a new calendar
// repository (herald init) with its charter, an example post, a README and
// the GitHub workflows that review and publish it, and new posts from the
// charter (herald new).
package scaffold

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"text/template"
	"time"
	"unicode"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/schema"
)

// InitOptions says what calendar Init writes.
type InitOptions struct {
	Dir      string // the calendar's folder, created if missing
	Brand    string
	Timezone string // an IANA zone
	Locale   string // a BCP 47 tag
	// Accounts are the --account flags; Init adds a feed and an outbox,
	// which publish into the repository and need no credentials.
	Accounts []Account
	// ActionRef is what the workflows' steps name in uses: (see ActionRef).
	ActionRef string
	// Now dates the example post: the next day at 10:00.
	Now time.Time
	// Printer is the language of the files: the charter's comments, its
	// editorial line, the example post and README.md; nil is English.
	Printer *i18n.Printer
	// Owners maintain the charter, the schemas and .github/, Reviewers
	// approve posts and media: GitHub users (@name) or teams (@org/team)
	// for .github/CODEOWNERS, which says to replace a placeholder for
	// those not given.
	Owners, Reviewers []string
}

// InitResult is what Init wrote.
type InitResult struct {
	Root        string   // the calendar's folder, absolute
	RepoRoot    string   // the git repository's root: Root, or a folder above it
	Files       []string // absolute, in the order written
	GitInit     bool     // Init made a new git repository at Root
	Secrets     []Secret // the secrets the accounts need
	ExamplePost string   // slash-separated, from Root
}

// ConflictError is files Init would overwrite: it writes nothing then.
type ConflictError struct{ Paths []string } // absolute

func (e *ConflictError) Error() string {
	return fmt.Sprintf("herald init never overwrites a file, and these exist: %s", strings.Join(e.Paths, ", "))
}

// Init writes a new calendar into opts.Dir: charter.yaml, an example post,
// .gitignore, README.md, and the workflows at the root of the git
// repository that holds it. Outside any repository it makes one at Dir
// (branch main), and commits nothing. It writes nothing when one of those
// files exists (a *ConflictError) or an option is wrong (a *UsageError),
// and removes what it wrote when it cannot finish: a file it cannot write,
// or ctx done (SIGINT, SIGTERM).
func Init(ctx context.Context, opts InitOptions) (*InitResult, error) {
	root, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	brand := strings.TrimSpace(opts.Brand)
	if brand == "" || strings.ContainsFunc(brand, unicode.IsControl) {
		return nil, usagef("--brand %q: give the brand's name, on one line", opts.Brand)
	}
	loc, err := LoadTimezone(opts.Timezone)
	if err != nil {
		return nil, err
	}
	if err := CheckLocale(opts.Locale); err != nil {
		return nil, err
	}
	accounts, err := withDefaults(opts.Accounts, brand)
	if err != nil {
		return nil, err
	}
	for _, who := range opts.Owners {
		if err := CheckCodeOwner("owner", who); err != nil {
			return nil, err
		}
	}
	for _, who := range opts.Reviewers {
		if err := CheckCodeOwner("reviewer", who); err != nil {
			return nil, err
		}
	}
	if fi, err := os.Stat(root); err == nil && !fi.IsDir() {
		return nil, usagef("%s is a file: herald init makes a calendar in a folder", opts.Dir)
	}
	repoRoot, inRepo := gitRoot(root)
	if !inRepo {
		repoRoot = root
	}
	workDir, err := filepath.Rel(repoRoot, root)
	if err != nil {
		return nil, err
	}
	workDir = filepath.ToSlash(workDir)
	if workDir == "." {
		workDir = ""
	}

	p := opts.Printer
	if p == nil {
		p = i18n.English()
	}
	data := newCalendarData(p, brand, opts.Timezone, opts.Locale, accounts, opts.Now.In(loc))
	files, err := calendarFiles(data)
	if err != nil {
		return nil, err
	}
	wfs, err := Workflows(WorkflowParams{Action: opts.ActionRef, WorkDir: workDir, Secrets: data.Secrets})
	if err != nil {
		return nil, err
	}
	var all []File // paths absolute
	for _, f := range files {
		all = append(all, File{filepath.Join(root, filepath.FromSlash(f.Path)), f.Content})
	}
	wfs = append(wfs, File{".github/CODEOWNERS", codeOwners(workDir, opts.Owners, opts.Reviewers)})
	for _, f := range wfs {
		all = append(all, File{filepath.Join(repoRoot, filepath.FromSlash(f.Path)), f.Content})
	}

	var conflicts []string
	for _, f := range all {
		if _, err := os.Lstat(f.Path); !errors.Is(err, fs.ErrNotExist) {
			conflicts = append(conflicts, f.Path)
		}
	}
	if len(conflicts) > 0 {
		return nil, &ConflictError{conflicts}
	}

	res := &InitResult{Root: root, RepoRoot: repoRoot, Secrets: data.Secrets, ExamplePost: data.ExamplePost}
	var made []string // folders Init created, outermost first
	undo := func(err error) (*InitResult, error) {
		for _, f := range slices.Backward(res.Files) {
			os.Remove(f)
		}
		for _, d := range slices.Backward(made) {
			os.Remove(d) // only if empty: a folder someone wrote into stays
		}
		res.Files = nil
		return res, err
	}
	for _, f := range all {
		if err := ctx.Err(); err != nil {
			return undo(err)
		}
		dirs, err := mkdirs(filepath.Dir(f.Path))
		made = append(made, dirs...)
		if err != nil {
			return undo(err)
		}
		if err := writeNew(f.Path, f.Content); err != nil {
			return undo(err)
		}
		res.Files = append(res.Files, f.Path)
	}
	if err := ctx.Err(); err != nil {
		return undo(err)
	}
	if !inRepo {
		_, err := git.PlainInitWithOptions(root, &git.PlainInitOptions{InitOptions: git.InitOptions{DefaultBranch: plumbing.Main}})
		if err != nil {
			os.RemoveAll(filepath.Join(root, ".git"))
			return undo(fmt.Errorf("git init %s: %w", root, err))
		}
		res.GitInit = true
	}
	return res, nil
}

// mkdirs makes dir and the folders above it that are missing, and
// returns those it made, outermost first.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		missing = append(missing, d)
	}
	slices.Reverse(missing)
	var made []string
	for _, d := range missing {
		if err := os.Mkdir(d, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return made, err
		}
		made = append(made, d)
	}
	return made, nil
}

// LoadTimezone loads an IANA time zone, refusing the names Go accepts that
// a charter cannot use ("" and "Local", which mean this machine's zone).
func LoadTimezone(name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if name == "" || name == "Local" || err != nil {
		return nil, usagef("--timezone %q is not an IANA time zone: use a name such as Europe/Paris, America/New_York or UTC", name)
	}
	return loc, nil
}

// localePattern is the charter schema's pattern for locale.
var localePattern = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`)

// CheckLocale checks a BCP 47 tag as herald check does.
func CheckLocale(tag string) error {
	if _, err := language.Parse(tag); err != nil || !localePattern.MatchString(tag) {
		return usagef("--locale %q is not a BCP 47 language tag: use one such as en-US, fr-FR or de", tag)
	}
	return nil
}

// gitRoot returns the root of the git repository at or above dir, which
// need not exist yet.
func gitRoot(dir string) (string, bool) {
	existing := dir
	for {
		if _, err := os.Stat(existing); err == nil {
			break
		}
		parent := filepath.Dir(existing)
		if parent == existing {
			return "", false
		}
		existing = parent
	}
	repo, err := git.PlainOpenWithOptions(existing, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		return "", false
	}
	wt, err := repo.Worktree()
	if err != nil { // a bare repository: no place for a calendar's workflows
		return "", false
	}
	return wt.Filesystem.Root(), true
}

// writeNew creates path and its folders, failing if it exists.
func writeNew(path string, content []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path) // never a half-written file
	}
	return err
}

// calendarData is what the calendar's templates take.
type calendarData struct {
	p                       *i18n.Printer
	Brand, Timezone, Locale string
	// The editorial line's tags, in the files' language.
	Product, BehindTheScenes, Community tagView
	Accounts                            []accountView
	FrenchKeyDates                      bool
	Secrets                             []Secret
	Unpublishable                       []Account
	Confirmable                         []Account // networks that cannot find a post again
	NeedsMediaURL                       bool      // an account fetches media from a URL
	Feed, Outbox                        string    // the default channels' paths, if any

	ExamplePost     string // from the root
	ExampleDate     string // as the post's front matter writes it
	ExampleWhen     string // as people read it, in the files' language
	ExampleNetworks string // a YAML flow sequence
	ExampleDraft    bool   // no channel to publish it to harmlessly
	NetworksFlag    string // the README's herald new example
	NetworksList    string
	VariantExample  string
	// MoreAccounts are examples of the accounts the charter lacks.
	MoreAccounts []string
}

// tagView is a tag of the editorial line init writes.
type tagView struct{ Key, Description string }

// accountView is an account as the charter template writes it.
type accountView struct {
	Key, Network string
	Lines        []string // "field: value", YAML
	Comment      []string
}

func newCalendarData(p *i18n.Printer, brand, tz, locale string, accounts []Account, now time.Time) *calendarData {
	tag := func(id string) tagView {
		return tagView{p.T("scaffold.tag."+id, nil), p.T("scaffold.tag."+id+".description", nil)}
	}
	d := &calendarData{
		p: p, Brand: brand, Timezone: tz, Locale: locale,
		Product: tag("product"), BehindTheScenes: tag("behind-the-scenes"), Community: tag("community"),
		FrenchKeyDates: locale == "fr-FR",
		Secrets:        Secrets(p, accounts),
		Unpublishable:  unpublishable(accounts),
		Confirmable:    confirmable(accounts),
		NeedsMediaURL: slices.ContainsFunc(accounts, func(a Account) bool {
			return a.Network == "instagram" || a.Network == "threads"
		}),
	}
	var channels, all []string
	for _, a := range accounts {
		v := accountView{Key: a.Key, Network: a.Network}
		for _, f := range a.Fields {
			value := yamlScalar(f.Value)
			if nf, _ := lookupField(a.Network, f.Name); nf.integer {
				value = f.Value
			}
			v.Lines = append(v.Lines, f.Name+": "+value)
		}
		switch a.Network {
		case "feed":
			v.Comment = strings.Split(p.T("scaffold.charter.feed", nil), "\n")
			d.Feed = cmp.Or(d.Feed, a.field("path"))
		case "outbox":
			v.Comment = strings.Split(p.T("scaffold.charter.outbox", nil), "\n")
			d.Outbox = cmp.Or(d.Outbox, a.field("dir"))
		}
		for _, s := range d.Secrets {
			switch {
			case s.Account != a.Key || s.Or != "" && s.Or > s.Name:
				// another account's, or said with its alternative
			case s.Or != "":
				v.Comment = append(v.Comment, p.T("scaffold.charter.secret-or", i18n.Args{"Name": s.Name, "Or": s.Or}))
			case s.Optional:
				v.Comment = append(v.Comment, p.T("scaffold.charter.secret-optional", i18n.Args{"Name": s.Name}))
			default:
				v.Comment = append(v.Comment, p.T("scaffold.charter.secret", i18n.Args{"Name": s.Name}))
			}
		}
		d.Accounts = append(d.Accounts, v)
		all = append(all, a.Key)
		if a.isChannel() {
			channels = append(channels, a.Key)
		}
	}
	example := channels
	if len(example) == 0 {
		example, d.ExampleDraft = all, true
	}
	date := time.Date(now.Year(), now.Month(), now.Day()+1, 10, 0, 0, 0, now.Location())
	d.ExampleDate = date.Format("2006-01-02 15:04")
	d.ExampleWhen = p.DateTime(date)
	d.ExamplePost = "posts/" + date.Format("2006/01") + "/welcome.md"
	d.ExampleNetworks = "[" + strings.Join(example, ", ") + "]"
	readme := all[:min(2, len(all))]
	d.NetworksFlag = strings.Join(readme, ",")
	d.NetworksList = "[" + strings.Join(readme, ", ") + "]"
	d.VariantExample = readme[0]
	for _, more := range []struct{ network, line, secret string }{
		{"mastodon", "mastodon: {network: mastodon, server: https://mastodon.social}", "HERALD_MASTODON_TOKEN"},
		{"bluesky", "bluesky: {network: bluesky, handle: brand.bsky.social}", "HERALD_BLUESKY_PASSWORD"},
	} {
		if !slices.ContainsFunc(accounts, func(a Account) bool { return a.Network == more.network || a.Key == more.network }) {
			d.MoreAccounts = append(d.MoreAccounts, more.line+"  # "+p.T("scaffold.charter.more-secret", i18n.Args{"Name": more.secret}))
		}
	}
	return d
}

// calendarFiles renders the files of the calendar's folder.
func calendarFiles(d *calendarData) ([]File, error) {
	var files []File
	for _, f := range []struct{ path, template string }{
		{load.CharterFile, "charter.yaml.tmpl"},
		{d.ExamplePost, "example-post.md.tmpl"},
		{".gitignore", "gitignore.tmpl"},
		{"README.md", readmeTemplate(d.p.Lang())},
	} {
		content, err := render("templates/calendar/"+f.template, d, d.funcs())
		if err != nil {
			return nil, err
		}
		files = append(files, File{f.path, content})
	}
	if err := validateCharter(files[0].Content); err != nil {
		return nil, err
	}
	return files, nil
}

// readmeTemplate is the calendar README's template in a language:
// README.LANG.md.tmpl. The README is long prose, which a translator
// writes best as a whole page rather than as sentences in the catalog:
// each language has its own (TestEveryLanguageHasItsTemplates checks
// that none is missing), with the values that depend on the charter
// ([[.Brand]], the secrets' table) filled in the same way.
func readmeTemplate(lang string) string {
	name := "README." + lang + ".md.tmpl"
	if _, err := fs.Stat(templates, "templates/calendar/"+name); err != nil {
		return "README." + i18n.Fallback + ".md.tmpl"
	}
	return name
}

// funcs are what the calendar's templates write text with: t, a message
// of the catalog in the files' language ([[t "id" "Name" value...]]), and
// comment, which makes text YAML comment lines at an indent
// ([[t "id" | comment 2]]).
func (d *calendarData) funcs() template.FuncMap {
	return template.FuncMap{
		"t": func(id string, pairs ...any) (string, error) {
			if len(pairs)%2 != 0 {
				return "", fmt.Errorf("t %q: arguments go in name, value pairs", id)
			}
			args := i18n.Args{}
			for i := 0; i < len(pairs); i += 2 {
				name, ok := pairs[i].(string)
				if !ok {
					return "", fmt.Errorf("t %q: argument %d is no name", id, i)
				}
				args[name] = pairs[i+1]
			}
			return d.p.T(id, args), nil
		},
		"comment": func(indent int, text string) string {
			var b strings.Builder
			for i, line := range strings.Split(text, "\n") {
				if i > 0 {
					b.WriteByte('\n')
				}
				b.WriteString(strings.Repeat(" ", indent) + strings.TrimRight("# "+line, " "))
			}
			return b.String()
		},
	}
}

// validateCharter checks the charter against the charter schema before it
// is written: the flags' values (a server that is no URL, a handle that is
// no domain) are what can make it invalid.
func validateCharter(content []byte) error {
	node, err := load.ParseCharterYAML(content)
	if err != nil {
		return fmt.Errorf("the charter herald init wrote does not parse: %w", err)
	}
	value, err := load.ToValue(node)
	if err != nil {
		return fmt.Errorf("the charter herald init wrote does not parse: %w", err)
	}
	var ve *jsonschema.ValidationError
	if err := charterSchema().Validate(value); errors.As(err, &ve) {
		var leaves []string
		var walk func(*jsonschema.ValidationError)
		walk = func(e *jsonschema.ValidationError) {
			if len(e.Causes) == 0 {
				field := strings.TrimPrefix(e.InstanceLocation, "/")
				leaf := field + ": " + e.Message
				if meaning, ok := schema.PatternMeaning(e.Message); ok {
					if _, v := load.AtPointer(node, e.InstanceLocation); v != nil {
						// In English, as the rest of this error for a bug or a bad flag.
						p := i18n.English()
						leaf = p.T("check.schema.pattern."+meaning, i18n.Args{"Field": field, "Value": p.Quote(v.Value)})
					}
				}
				leaves = append(leaves, leaf)
			}
			for _, c := range e.Causes {
				walk(c)
			}
		}
		walk(ve)
		slices.Sort(leaves)
		leaves = slices.Compact(leaves)
		// A field whose value is wrong is also "not allowed" by the branch
		// of its network that failed: its value's error is enough.
		leaves = slices.DeleteFunc(leaves, func(l string) bool {
			field, ok := strings.CutSuffix(l, ": not allowed")
			return ok && slices.ContainsFunc(leaves, func(o string) bool { return o != l && strings.HasPrefix(o, field+": ") })
		})
		return usagef("these values do not fit the charter schema: %s", strings.Join(leaves, "; "))
	} else if err != nil {
		return err
	}
	return nil
}

// charterSchema is the embedded charter schema, compiled once.
var charterSchema = sync.OnceValue(func() *jsonschema.Schema {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	if err := c.AddResource(schema.CharterURL, bytes.NewReader(schema.Charter)); err != nil {
		panic(err) // the embedded schema is tested; this is a build defect
	}
	return c.MustCompile(schema.CharterURL)
})

// yamlFlowScalar writes s as a YAML scalar inside a flow mapping ({key:
// value}), where a comma or a bracket would end a plain scalar: quoted
// then.
func yamlFlowScalar(s string) string {
	if strings.ContainsAny(s, ",[]{}") {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return yamlScalar(s)
}

// yamlScalar writes s as a YAML scalar for a block mapping's value: plain
// when YAML reads it back as that string, else single-quoted. yaml.Marshal
// would escape every character outside the BMP, and a title's emoji with it.
func yamlScalar(s string) string {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(s), &doc); err == nil && len(doc.Content) == 1 {
		if n := doc.Content[0]; n.Kind == yaml.ScalarNode && n.Tag == "!!str" && n.Style == 0 && n.Value == s {
			return s
		}
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
