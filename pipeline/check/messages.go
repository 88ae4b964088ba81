package check

import (
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
	"go.yaml.in/yaml/v3"
)

// The words that check's messages share, in the reader's language: the
// messages themselves are in locales/check.LANG.toml.

// fileKind names a file that is not a regular one ("a named pipe (FIFO)",
// as load.UnixFileKind says it in English).
func fileKind(p *i18n.Printer, kind string) string {
	id := map[string]string{
		"a named pipe (FIFO)": "check.file-kind.fifo",
		"a character device":  "check.file-kind.char-device",
		"a block device":      "check.file-kind.block-device",
		"a socket":            "check.file-kind.socket",
	}[kind]
	if id == "" {
		id = "check.file-kind.special"
	}
	return p.T(id, nil)
}

// dayText writes a day (YYYYMMDD as an int32): 2026-11-02 in English, as
// the charter writes dates, "lundi 2 novembre 2026" in French.
func dayText(p *i18n.Printer, day int32) string {
	t := time.Date(int(day/10000), time.Month(day/100%100), int(day%100), 12, 0, 0, 0, time.UTC)
	return p.T("check.day", i18n.Args{"ISO": t.Format(time.DateOnly), "Long": p.Date(t)})
}

// isoDayText is dayText for a day written YYYY-MM-DD.
func isoDayText(p *i18n.Printer, iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return p.T("check.day", i18n.Args{"ISO": iso, "Long": p.Date(t)})
}

// monthText writes a month (YYYYMM as an int32): 2026-11, "novembre 2026".
func monthText(p *i18n.Printer, month int32) string {
	t := time.Date(int(month/100), time.Month(month%100), 1, 12, 0, 0, 0, time.UTC)
	return p.T("check.month", i18n.Args{"ISO": t.Format("2006-01"), "Long": p.MonthYear(t)})
}

// humanBytes writes a size: "2.5 MB", "2,5 Mo".
func humanBytes(p *i18n.Printer, n int64) string {
	switch {
	case n >= 1_000_000:
		return p.T("check.bytes.mb", i18n.Args{"N": p.Fixed(float64(n)/1e6, 1)})
	case n >= 1_000:
		return p.T("check.bytes.kb", i18n.Args{"N": p.Fixed(float64(n)/1e3, 1)})
	}
	return p.N("check.bytes", int(n), nil)
}

// unitName is the unit a network counts a text in: "graphemes".
func unitName(p *i18n.Printer, u netspec.Unit) string {
	return p.T("check.unit."+string(u), nil)
}

// andList joins names as a sentence does: "instagram and threads".
func andList(p *i18n.Printer, names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return p.T("check.and", i18n.Args{"List": strings.Join(names[:len(names)-1], ", "), "Last": names[len(names)-1]})
}

// plainInt writes a number as the charter and the networks' limits write
// it, without grouping, in every language: 2147483647.
func plainInt[N int | int64](n N) string { return strconv.FormatInt(int64(n), 10) }

// PeekLocale reads the locale a charter declares, before it is checked,
// so that even its own errors are said in its language: "" when the file
// cannot be read as YAML or has no locale.
func PeekLocale(charterAbs string) string {
	// Never open what is not a regular file: a FIFO would block.
	if fi, err := os.Stat(charterAbs); err != nil || !fi.Mode().IsRegular() {
		return ""
	}
	content, err := os.ReadFile(charterAbs)
	if err != nil {
		return ""
	}
	node, err := load.ParseCharterYAML(content)
	if err != nil {
		return ""
	}
	if _, v := load.AtPointer(node, "/locale"); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}
