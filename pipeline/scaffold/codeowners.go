package scaffold

import (
	"fmt"
	"regexp"
	"strings"
)

// Placeholders stand for the owners and reviewers that herald init was
// not given: the CODEOWNERS file says to replace them.
const (
	PlaceholderOwner    = "@your-org/calendar-maintainers"
	PlaceholderReviewer = "@your-org/calendar-reviewers"
)

// codeOwner is a GitHub user (@name) or team (@org/team), as CODEOWNERS
// names them: user names are letters, digits and single hyphens, up to 39
// characters; team slugs also take '_' and '.'.
var codeOwner = regexp.MustCompile(`^@[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}(?:/[A-Za-z0-9][A-Za-z0-9._-]*)?$`)

// CheckCodeOwner checks an --owner or --reviewer value.
func CheckCodeOwner(flag, who string) error {
	if !codeOwner.MatchString(who) {
		return usagef("--%s %q: give a GitHub user (@name) or team (@org/team), with its @", flag, who)
	}
	return nil
}

// codeOwners writes the repository's .github/CODEOWNERS: the charter,
// the schemas and the workflows belong to the maintainers (owners), the
// posts and media to the reviewers. With branch protection requiring a
// code owner's review, nobody publishes around the review: whatever
// reaches main is published by the schedule.
func codeOwners(workDir string, owners, reviewers []string) []byte {
	under := func(p string) string {
		if workDir == "" {
			return "/" + p
		}
		return "/" + workDir + "/" + p
	}
	var b strings.Builder
	b.WriteString(`# Who must approve a change before it reaches main. Whatever reaches main
# is published by the scheduled workflow: the review is what stands between
# a change and the brand's accounts. GitHub asks these people for a review;
# branch protection makes their approval required (README.md, "Protecting
# main"). The last line that matches a file decides.
`)
	if len(owners) == 0 || len(reviewers) == 0 {
		b.WriteString(`#
# Replace the placeholders @your-org/... with your GitHub users (@name) or
# teams (@org/team): GitHub ignores an owner it does not know, and then
# nobody's review is required. herald init --owner and --reviewer write them.
`)
	}
	if len(owners) == 0 {
		owners = []string{PlaceholderOwner}
	}
	if len(reviewers) == 0 {
		reviewers = []string{PlaceholderReviewer}
	}
	line := func(path string, who []string) {
		fmt.Fprintf(&b, "%-24s %s\n", path, strings.Join(who, " "))
	}
	b.WriteString("\n# The calendar's maintainers: the charter, the schemas and the workflows.\n")
	line(under("charter.yaml"), owners)
	line(under("schema/"), owners)
	line(under("*.schema.json"), owners)
	line("/.github/", owners)
	b.WriteString("\n# Its reviewers: the posts and their media.\n")
	line(under("posts/"), reviewers)
	line(under("media/"), reviewers)
	return []byte(b.String())
}
