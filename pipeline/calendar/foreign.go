package calendar

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// ForeignOptions says what a file of another tool leaves out: the
// accounts (tools pick them in their interface, not in the file) and the
// editorial-line tags every post needs.
type ForeignOptions struct {
	Accounts   []string // charter account keys: one row per post and account
	Tags       []string
	MonthFirst bool // dates are MM/DD/YYYY (Hootsuite's US setting), not DD/MM/YYYY
}

// ReadHootsuite reads a Hootsuite bulk composer file: no header, one
// message per line, with the date and time ("DD/MM/YYYY HH:MM", or
// "MM/DD/YYYY HH:MM" as chosen when uploading, 24-hour), the message and
// an optional link, which herald appends to the text. A first line whose
// date cannot be read but looks like a header (date, message) is skipped.
func ReadHootsuite(r io.Reader, opts ForeignOptions) ([]Row, error) {
	if len(opts.Accounts) == 0 {
		return nil, RowError{1, "a Hootsuite file names no account: give them with --account"}
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	layout := "02/01/2006 15:04"
	if opts.MonthFirst {
		layout = "01/02/2006 15:04"
	}
	var rows []Row
	var errs []error
	for n := 0; ; n++ {
		record, err := readRecord(cr)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(record) < 2 {
			errs = append(errs, RowError{line, "a Hootsuite line has a date, a message and an optional link"})
			continue
		}
		date, text := strings.TrimSpace(record[0]), strings.TrimSpace(record[1])
		when, err := time.Parse(layout, date)
		if err != nil {
			if n == 0 && strings.Contains(strings.ToLower(date), "date") {
				continue // a header
			}
			errs = append(errs, RowError{line, fmt.Sprintf("date %q: Hootsuite writes %s", date, strings.NewReplacer("02", "DD", "01", "MM", "2006", "YYYY", "15", "HH", "04", "MM").Replace(layout))})
			continue
		}
		if len(record) > 2 {
			if link := strings.TrimSpace(record[2]); link != "" {
				text += " " + link
			}
		}
		for _, a := range opts.Accounts {
			rows = append(rows, Row{Line: line, Date: when.Format("2006-01-02 15:04"), Account: a, Text: text, Tags: opts.Tags})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return rows, nil
}
