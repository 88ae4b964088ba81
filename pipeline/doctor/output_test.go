package doctor_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/herald-social/herald/pipeline/internal/golden"

	"github.com/herald-social/herald/pipeline/doctor"
)

// golden compares got with testdata/name, or writes it there with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

// report has a check of each kind, in two calendars, with a message that
// would break a Markdown table.
var report = &doctor.Report{Checks: []doctor.Check{
	{Calendar: ".", Account: "mastodon", Network: "mastodon", Status: doctor.OK,
		Message: "social.example accepts the token of @maison@social.example (GET /api/v1/accounts/verify_credentials)"},
	{Calendar: ".", Account: "bluesky", Network: "bluesky", Status: doctor.OK,
		Message: "logged in as @maison.example.com on bsky.social: session lasts 2 hours: publish logs in once per run, nothing to do"},
	{Calendar: ".", Account: "blog", Network: "feed", Status: doctor.OK,
		Message: "writes public/feed.xml in the calendar, committed with the journal; needs no credentials"},
	{Calendar: ".", Account: "linkedin", Network: "linkedin", Status: doctor.Warning,
		Message: "herald cannot publish to linkedin yet: herald publish skips the posts that name it while they are due, then reports them missed (past cadence.max_lateness, 6h), which fails the run"},
	{Calendar: ".", Account: "", Network: "", Status: doctor.Warning,
		Message: "no scheduled publish workflow in .github/workflows: herald init writes one"},
	{Calendar: "brands/autre", Account: "piaille", Network: "mastodon", Status: doctor.Error,
		Message: "rejected: HTTP 401: GET /api/v1/accounts/verify_credentials: <b>The access token | is invalid</b>\nsee the docs: make a new access token on piaille.fr (Preferences > Development) and set it in HERALD_PIAILLE_TOKEN"},
}}

func TestOutputs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer, *doctor.Report) error
	}{
		{"report.txt", func(b *bytes.Buffer, r *doctor.Report) error { return doctor.WriteText(b, r, nil) }},
		{"report.json", func(b *bytes.Buffer, r *doctor.Report) error { return doctor.WriteJSON(b, r) }},
		{"summary.md", func(b *bytes.Buffer, r *doctor.Report) error { return doctor.WriteMarkdown(b, r, nil) }},
		{"empty.txt", func(b *bytes.Buffer, r *doctor.Report) error { return doctor.WriteText(b, &doctor.Report{}, nil) }},
		{"empty.json", func(b *bytes.Buffer, r *doctor.Report) error { return doctor.WriteJSON(b, &doctor.Report{}) }},
		{"empty.md", func(b *bytes.Buffer, r *doctor.Report) error { return doctor.WriteMarkdown(b, &doctor.Report{}, nil) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b, report); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.name, b.Bytes())
		})
	}
}
