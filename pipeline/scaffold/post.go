package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
)

// PostOptions says what post NewPost writes.
type PostOptions struct {
	Root     string        // the calendar's root, absolute
	Charter  *load.Charter // its charter, checked
	Title    string
	Date     string   // as check.ParseDate reads it
	Networks []string // account keys
	Campaign string
	Tags     []string
	Draft    bool
	Slug     string // the file's name without .md; "" derives it from Title
	// Media are copied under media/ (the same bytes already there are
	// reused) and named in the front matter, in this order.
	Media []MediaFile
	// Dir is where relative Media paths are read from, as -C sets it
	// ("": the working directory).
	Dir string
	// Printer writes the errors in the charter's language; nil: English.
	Printer *i18n.Printer
}

// NewPost writes a post from the charter at posts/YYYY/MM/SLUG.md (the
// date's year and month in the charter's time zone) and returns its
// absolute path. It never overwrites a file; its errors about the options
// are *UsageError.
func NewPost(opts PostOptions) (string, error) {
	c := opts.Charter
	p := opts.Printer
	if p == nil {
		p = i18n.English()
	}
	say := func(id string, args i18n.Args) error { return &UsageError{p.T("scaffold.new."+id, args)} }
	title := strings.TrimSpace(opts.Title)
	if title == "" || strings.ContainsFunc(title, unicode.IsControl) {
		return "", say("title-empty", i18n.Args{"Title": strconv.Quote(opts.Title)})
	}
	when, err := check.ParseDate(strings.TrimSpace(opts.Date), c.Location)
	if err != nil {
		return "", usagef("--date: %v", err)
	}
	networks, err := allowedValues(p, "--networks", opts.Networks, c.AccountKeys(), "accounts")
	if err != nil {
		return "", err
	}
	tags, err := allowedValues(p, "--tags", opts.Tags, c.TagNames(), "editorial_line")
	if err != nil {
		return "", err
	}
	var hashtags []string
	if opts.Campaign != "" {
		camp, ok := c.Campaigns[opts.Campaign]
		if !ok {
			return "", notAllowed(p, "--campaign", opts.Campaign, c.CampaignNames(), "campaigns")
		}
		hashtags = camp.Hashtags
	}
	slug := opts.Slug
	if slug == "" {
		if slug = Slug(title); slug == "" {
			return "", say("title-no-slug", i18n.Args{"Title": strconv.Quote(title)})
		}
	} else if Slug(slug) != slug {
		return "", say("bad-slug", i18n.Args{"Slug": strconv.Quote(slug), "Suggestion": strconv.Quote(Slug(slug))})
	}

	local := when.In(c.Location)
	rel := "posts/" + local.Format("2006/01") + "/" + slug + ".md"
	path := filepath.Join(opts.Root, filepath.FromSlash(rel))
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		return "", say("exists", i18n.Args{"Path": rel})
	}
	planned, err := planMedia(p, opts.Root, opts.Dir, c, networks, opts.Media)
	if err != nil {
		return "", err
	}

	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "date: %s\n", dateText(opts.Date, when, c.Location))
	fmt.Fprintf(&b, "networks: [%s]\n", strings.Join(networks, ", "))
	if opts.Campaign != "" {
		fmt.Fprintf(&b, "campaign: %s\n", opts.Campaign)
	}
	fmt.Fprintf(&b, "tags: [%s]\n", strings.Join(tags, ", "))
	if opts.Draft {
		b.WriteString("status: draft\n")
	}
	fmt.Fprintf(&b, "title: %s\n", yamlScalar(title))
	b.WriteString(mediaFrontMatter(planned))
	b.WriteString("---\n")
	b.WriteString(title + "\n")
	if len(hashtags) > 0 {
		b.WriteString("\n" + strings.Join(hashtags, " ") + "\n")
	}
	created, err := placeMedia(opts.Root, planned)
	if err != nil {
		return "", err
	}
	if err := writeNew(path, []byte(b.String())); err != nil {
		removeAll(created) // media no post names would be left behind
		if errors.Is(err, fs.ErrExist) {
			return "", say("exists", i18n.Args{"Path": rel})
		}
		return "", err
	}
	return path, nil
}

// allowedValues splits comma-separated flag values, dropping repeats, and
// checks each against the charter's names.
func allowedValues(p *i18n.Printer, flag string, given, names []string, section string) ([]string, error) {
	var out []string
	for _, g := range given {
		for v := range strings.SplitSeq(g, ",") {
			v = strings.TrimSpace(v)
			if v == "" || slices.Contains(out, v) {
				continue
			}
			if !slices.Contains(names, v) {
				return nil, notAllowed(p, flag, v, names, section)
			}
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		if len(names) == 0 {
			return nil, &UsageError{p.T("scaffold.new.section-empty", i18n.Args{"Flag": flag, "Section": section})}
		}
		return nil, &UsageError{p.T("scaffold.new.required", i18n.Args{"Flag": flag, "Names": strings.Join(names, ", ")})}
	}
	return out, nil
}

// notAllowed says that value is not one of the charter's names, which a
// section of charter.yaml declares: the names and the section are the
// charter's, the same in every language.
func notAllowed(p *i18n.Printer, flag, value string, names []string, section string) error {
	args := i18n.Args{"Flag": flag, "Value": strconv.Quote(value), "Section": section, "Names": strings.Join(names, ", ")}
	if len(names) == 0 {
		return &UsageError{p.T("scaffold.new.section-none", args)}
	}
	return &UsageError{p.T("scaffold.new.not-allowed", args)}
}

// dateText writes the date as the post's front matter keeps it: local
// dates as "YYYY-MM-DD HH:MM" in the charter's zone, dates with an offset
// as RFC 3339.
func dateText(given string, when time.Time, loc *time.Location) string {
	if hasOffset(strings.TrimSpace(given)) {
		return when.Format(time.RFC3339)
	}
	local := when.In(loc)
	if local.Second() != 0 {
		return local.Format("2006-01-02 15:04:05")
	}
	return local.Format("2006-01-02 15:04")
}

// hasOffset reports whether a date that check.ParseDate read names its
// own offset (Z, +01:00), and so reads the same in every zone.
func hasOffset(s string) bool {
	a, errA := check.ParseDate(s, time.UTC)
	b, errB := check.ParseDate(s, time.FixedZone("", 3600))
	return errA == nil && errB == nil && a.Equal(b)
}

// foldAccents takes accents off letters: é to e, ç to c. A chain keeps
// state between calls, so each Slug makes its own: one shared chain
// raced when slugs were made at the same time.
func foldAccents() transform.Transformer {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}

// ligatures are letters that no accent folding turns into ASCII.
var ligatures = strings.NewReplacer("œ", "oe", "æ", "ae", "ß", "ss", "ø", "o", "đ", "d", "ł", "l", "þ", "th", "ð", "d", "ı", "i")

// maxSlug keeps file names readable; a slug is cut at a '-' below it.
const maxSlug = 60

// Slug makes a file name from a title: lower-case, accents folded, every
// run of other characters than a-z and 0-9 a single '-'. It is "" when
// the title has no such character.
func Slug(title string) string {
	s, _, err := transform.String(foldAccents(), strings.ToLower(title))
	if err != nil {
		s = strings.ToLower(title)
	}
	s = ligatures.Replace(s)
	var b strings.Builder
	dash := false
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	slug := b.String()
	if len(slug) > maxSlug {
		slug = slug[:maxSlug]
		if i := strings.LastIndexByte(slug, '-'); i > 0 {
			slug = slug[:i]
		}
	}
	return slug
}
