package calendar

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/herald-social/herald/pipeline/calendar/keydates"
	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
)

// RowError is a row that cannot be imported, at its line of the file.
type RowError struct {
	Line    int
	Message string
}

func (e RowError) Error() string { return fmt.Sprintf("%d: %s", e.Line, e.Message) }

// ReadCSV reads rows written by WriteCSV (any order of columns; id or
// path, date, account and text are needed, the others optional). Line is
// each record's first line in the file.
func ReadCSV(r io.Reader) ([]Row, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, RowError{1, fmt.Sprintf("no header of columns: %v", err)}
	}
	col := map[string]int{}
	for i, name := range header {
		col[strings.TrimSpace(strings.TrimPrefix(name, "\ufeff"))] = i
	}
	for _, need := range []string{"date", "account", "text"} {
		if _, ok := col[need]; !ok {
			return nil, RowError{1, fmt.Sprintf("no %q column: herald import reads the columns of herald export (%s)", need, strings.Join(Columns, ", "))}
		}
	}
	var rows []Row
	for {
		record, err := readRecord(cr)
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(record) {
				return record[i]
			}
			return ""
		}
		row := Row{Line: line, ID: get("id"), Path: get("path"), Date: get("date"), Status: get("status"),
			Account: get("account"), Network: get("network"), Campaign: get("campaign"), Title: get("title"),
			Text: get("text"), Variant: get("variant")}
		for t := range strings.SplitSeq(get("tags"), ",") {
			if t = strings.TrimSpace(t); t != "" {
				row.Tags = append(row.Tags, t)
			}
		}
		srcs, alts := lines(get("media")), lines(get("media_alt"))
		for i, src := range srcs {
			m := Medium{Src: src}
			if i < len(alts) {
				m.Alt = alts[i]
			}
			row.Media = append(row.Media, m)
		}
		rows = append(rows, row)
	}
}

func lines(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}

// ReadRowsJSON reads rows written by WriteRowsJSON; Line is each row's
// index in the array, from 1.
func ReadRowsJSON(r io.Reader) ([]Row, error) {
	var rows []Row
	dec := json.NewDecoder(r)
	if err := dec.Decode(&rows); err != nil {
		return nil, RowError{1, fmt.Sprintf("not a JSON array of rows: %v", err)}
	}
	for i := range rows {
		rows[i].Line = i + 1
	}
	return rows, nil
}

// ImportOptions says how to import.
type ImportOptions struct {
	DryRun  bool          // check the rows and say what would be written; write nothing
	Force   bool          // replace posts that exist
	Printer *i18n.Printer // the language of the row errors; nil is English
}

// Imported is a post that an import wrote (or would write).
type Imported struct {
	Path  string // below the calendar root
	Lines []int  // the rows it came from
}

// Import writes the posts that rows describe into the calendar at root:
// one file per post (the rows of a post share its id or path), at the
// row's path, else posts/YYYY/MM/<slug>.md. A row naming an account the
// charter does not declare, a date that cannot be read, or that disagrees
// with the other rows of its post is refused, with its line; so is a post
// whose file exists, unless opts.Force. Nothing is written when any row is
// refused.
func Import(root string, charter *load.Charter, rows []Row, opts ImportOptions) ([]Imported, []RowError) {
	p := opts.Printer
	if p == nil {
		p = i18n.English()
	}
	var errs []RowError
	type postRows struct {
		rows []Row
		key  string
	}
	var order []*postRows
	byKey := map[string]*postRows{}
	for _, r := range rows {
		key := r.ID
		if key == "" {
			key = r.Path
		}
		if key == "" {
			key = fmt.Sprintf("row %d", r.Line) // a post of its own, on each account of its line
		}
		group := byKey[key]
		if group == nil {
			group = &postRows{key: key}
			byKey[key] = group
			order = append(order, group)
		}
		group.rows = append(group.rows, r)
	}
	var out []Imported
	var files [][]byte
	taken := map[string]bool{}
	for _, post := range order {
		first := post.rows[0]
		content, rel, rowErrs := postFile(root, charter, post.rows, taken, p)
		errs = append(errs, rowErrs...)
		if len(rowErrs) > 0 {
			continue
		}
		if _, err := os.Lstat(filepath.Join(root, filepath.FromSlash(rel))); err == nil && !opts.Force {
			errs = append(errs, RowError{first.Line, p.T("calendar.import.exists", i18n.Args{"Path": rel})})
			continue
		}
		taken[rel] = true
		lines := make([]int, len(post.rows))
		for i, r := range post.rows {
			lines[i] = r.Line
		}
		out = append(out, Imported{Path: rel, Lines: lines})
		files = append(files, content)
	}
	if len(errs) > 0 || opts.DryRun {
		slices.SortStableFunc(errs, func(a, b RowError) int { return a.Line - b.Line })
		return out, errs
	}
	for i, imp := range out {
		abs := filepath.Join(root, filepath.FromSlash(imp.Path))
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			return out[:i], []RowError{{imp.Lines[0], err.Error()}}
		}
		if err := os.WriteFile(abs, files[i], 0o644); err != nil {
			return out[:i], []RowError{{imp.Lines[0], err.Error()}}
		}
	}
	return out, nil
}

// frontMatter is a post's front matter in the order herald writes it.
type frontMatter struct {
	ID       string            `yaml:"id,omitempty"`
	Date     string            `yaml:"date"`
	Networks []string          `yaml:"networks,flow"`
	Campaign string            `yaml:"campaign,omitempty"`
	Tags     []string          `yaml:"tags,flow"`
	Status   string            `yaml:"status,omitempty"`
	Title    string            `yaml:"title,omitempty"`
	Media    []Medium          `yaml:"media,omitempty"`
	Variants map[string]string `yaml:"variants,omitempty"`
}

// postFile builds the file of the post that rows describe, and where it
// goes below root.
func postFile(root string, charter *load.Charter, rows []Row, taken map[string]bool, p *i18n.Printer) ([]byte, string, []RowError) {
	var errs []RowError
	first := rows[0]
	fail := func(r Row, id string, args i18n.Args) {
		errs = append(errs, RowError{r.Line, p.T(id, args)})
	}
	accounts := strings.Join(charter.AccountKeys(), ", ")
	when, err := check.ParseDate(strings.TrimSpace(first.Date), charter.Location)
	if err != nil {
		fail(first, "calendar.import.date", i18n.Args{"Date": first.Date})
	}
	fm := frontMatter{Date: strings.TrimSpace(first.Date), Campaign: first.Campaign, Tags: first.Tags, Title: first.Title, Media: first.Media}
	switch first.Status {
	case "", "ready":
	case "draft":
		fm.Status = "draft"
	default:
		fail(first, "calendar.import.status", i18n.Args{"Status": first.Status})
	}
	for _, r := range rows {
		if r.Account == "" {
			fail(r, "calendar.import.no-account", i18n.Args{"Accounts": accounts})
			continue
		}
		if _, ok := charter.Accounts[r.Account]; !ok {
			fail(r, "calendar.import.unknown-account", i18n.Args{"Account": r.Account, "Accounts": accounts})
			continue
		}
		if slices.Contains(fm.Networks, r.Account) {
			fail(r, "calendar.import.account-twice", i18n.Args{"Account": r.Account, "Post": cmp.Or(first.ID, first.Path)})
			continue
		}
		fm.Networks = append(fm.Networks, r.Account)
		if r.Variant != "" {
			if fm.Variants == nil {
				fm.Variants = map[string]string{}
			}
			fm.Variants[r.Account] = r.Variant
		}
		if r.Line != first.Line && (r.Date != first.Date || r.Text != first.Text || r.Title != first.Title ||
			r.Campaign != first.Campaign || r.Status != first.Status || !slices.Equal(r.Tags, first.Tags)) {
			fail(r, "calendar.import.disagree", i18n.Args{"Post": cmp.Or(first.ID, first.Path), "Line": first.Line})
		}
	}
	if len(errs) > 0 {
		return nil, "", errs
	}
	rel := first.Path
	if rel != "" {
		clean := path.Clean(rel)
		if clean != rel || !strings.HasPrefix(rel, "posts/") || !strings.HasSuffix(rel, ".md") || !fs.ValidPath(rel) {
			fail(first, "calendar.import.path", i18n.Args{"Path": rel})
			return nil, "", errs
		}
	} else {
		local := when.In(charter.Location)
		slug := keydates.Slug(cmp.Or(first.Title, firstWords(first.Text)))
		if slug == "" {
			slug = "post"
		}
		base := fmt.Sprintf("posts/%04d/%02d/%s", local.Year(), local.Month(), slug)
		rel = base + ".md"
		for n := 2; taken[rel] || exists(root, rel); n++ {
			rel = base + "-" + strconv.Itoa(n) + ".md"
		}
	}
	if first.ID != "" && first.ID != strings.TrimSuffix(rel, ".md") {
		fm.ID = first.ID
	}
	var buf bytes.Buffer
	buf.WriteString("---\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(fm); err != nil {
		errs = append(errs, RowError{first.Line, err.Error()})
		return nil, "", errs
	}
	buf.WriteString("---\n")
	buf.WriteString(strings.TrimSpace(first.Text))
	buf.WriteString("\n")
	return buf.Bytes(), rel, nil
}

func exists(root, rel string) bool {
	_, err := os.Lstat(filepath.Join(root, filepath.FromSlash(rel)))
	return err == nil
}

// firstWords are the first six words of a text, links, hashtags and
// mentions left out, to name its file.
func firstWords(text string) string {
	var words []string
	for w := range strings.FieldsSeq(text) {
		if strings.Contains(w, "://") || strings.HasPrefix(w, "#") || strings.HasPrefix(w, "@") {
			continue
		}
		if words = append(words, w); len(words) == 6 {
			break
		}
	}
	return strings.Join(words, " ")
}

// readRecord reads the next CSV record; a malformed one is a RowError at
// the line where it starts, io.EOF ends the file.
func readRecord(cr *csv.Reader) ([]string, error) {
	record, err := cr.Read()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, RowError{pe.StartLine, pe.Err.Error()}
	}
	return record, err
}
