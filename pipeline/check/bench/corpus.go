// Package bench makes large calendars to measure herald check on: the
// example calendar's charter, with a campaign calendar for every year the
// posts span, and posts written as a busy team writes them (French text with
// accents, emojis, hashtags and links, threads, variants, media with alt
// text, TOML now and then, a few drafts and a few mistakes).
//
// The same options always give the same files.
package bench

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Options say what calendar to write.
type Options struct {
	Posts int
	Seed  uint64
	// PostBytes is the average size of a post file the calendar aims at:
	// bodies get more thread parts, or more paragraphs with short variants
	// for the networks that take few characters, until each file reaches a
	// size drawn between half and one and a half times it. 0 writes the
	// first corpus, whose posts are about 580 bytes.
	PostBytes int
}

// PostBytes is the size of the posts herald check's and preview's targets
// speak of: about 2 KB.
const PostBytes = 2048

// Generate writes a calendar of n posts of about 580 bytes into dir, which
// may exist: Write with Options{Posts: n, Seed: seed}.
func Generate(dir string, n int, seed uint64) error {
	return Write(dir, Options{Posts: n, Seed: seed})
}

// Write writes the calendar opts describe into dir, which may exist.
func Write(dir string, opts Options) error {
	n, seed := opts.Posts, opts.Seed
	g := &generator{
		dir:       dir,
		rng:       rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		postBytes: opts.PostBytes,
	}
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return err
	}
	g.loc = loc
	g.schedule(n)
	if err := g.writeMedia(n); err != nil {
		return err
	}
	if err := g.writeCharter(); err != nil {
		return err
	}
	for i := range n {
		if err := g.writePost(i); err != nil {
			return err
		}
	}
	return nil
}

type generator struct {
	dir       string
	rng       *rand.Rand
	postBytes int // 0: no padding
	loc       *time.Location
	slots     []time.Time // one per post, in order
	years     []int
	media     []string // below media/
}

// firstDay is the calendar's first day.
var firstDay = time.Date(2026, time.September, 1, 0, 0, 0, 0, time.UTC)

// Posting slots of a day: six on weekdays, four at weekends, inside the
// charter's windows and at least min_gap apart.
var (
	weekdaySlots = [][2]int{{7, 30}, {9, 45}, {12, 0}, {14, 15}, {16, 30}, {18, 45}}
	weekendSlots = [][2]int{{9, 30}, {12, 0}, {14, 30}, {17, 0}}
)

func (g *generator) schedule(n int) {
	day := firstDay
	for len(g.slots) < n {
		slots := weekdaySlots
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			slots = weekendSlots
		}
		for _, s := range slots {
			if len(g.slots) == n {
				break
			}
			g.slots = append(g.slots, time.Date(day.Year(), day.Month(), day.Day(), s[0], s[1], 0, 0, g.loc))
		}
		if len(g.years) == 0 || g.years[len(g.years)-1] != day.Year() {
			g.years = append(g.years, day.Year())
		}
		day = day.AddDate(0, 0, 1)
	}
}

func (g *generator) write(rel string, content []byte) error {
	path := filepath.Join(g.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, content, 0o644)
}

// mediaNames are the kinds of pictures posts carry; the calendar holds
// several shots of each, one for every five posts, as a team reuses some
// product shots and takes new ones for most posts.
var mediaNames = []string{
	"atelier.png", "avent.jpg", "bougie-veillee.png", "bougies-printemps.jpg", "carnets.png",
	"couronne.jpg", "equipe.jpg", "gravure.jpg", "motifs.png", "moustache.jpg",
	"plaid.jpg", "portrait-lea.jpg", "soldes.png", "tasses.jpg", "vitrine.png",
}

// writeMedia writes small images whose first bytes are real PNG or JPEG
// signatures, which is all check reads of them.
func (g *generator) writeMedia(posts int) error {
	count := max(len(mediaNames), posts/5)
	for i := range count {
		name := mediaNames[i%len(mediaNames)]
		ext := filepath.Ext(name)
		name = fmt.Sprintf("%s-%d%s", strings.TrimSuffix(name, ext), i/len(mediaNames)+1, ext)
		var head []byte
		if ext == ".png" {
			head = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
		} else {
			head = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
		}
		body := bytes.Repeat([]byte{byte(i), 0x5a, 0xa5, 0x3c}, 200+g.rng.IntN(800))
		if err := g.write("media/"+name, append(head, body...)); err != nil {
			return err
		}
		g.media = append(g.media, name)
	}
	return nil
}

// campaign is a yearly campaign; the charter declares one per year.
type campaign struct {
	slug, title, hashtag string
	start, end           [2]int // month, day
}

var campaigns = []campaign{
	{"soldes-hiver", "Soldes d'hiver", "#SoldesMaison", [2]int{1, 13}, [2]int{2, 9}},
	{"saint-valentin", "Saint-Valentin", "#AMaisonAmour", [2]int{2, 1}, [2]int{2, 14}},
	{"fete-des-meres", "Fête des mères", "#FeteDesMeres", [2]int{5, 10}, [2]int{5, 30}},
	{"rentree", "Rentrée de l'atelier", "#RentreeMaison", [2]int{9, 1}, [2]int{9, 20}},
	{"movember", "Movember", "#Movember", [2]int{11, 1}, [2]int{11, 30}},
	{"noel", "Noël", "#NoelMaison", [2]int{12, 1}, [2]int{12, 25}},
}

// campaignOn returns the campaign running on t, if any.
func campaignOn(t time.Time) (campaign, bool) {
	md := [2]int{int(t.Month()), t.Day()}
	for _, c := range campaigns {
		if !less(md, c.start) && !less(c.end, md) {
			return c, true
		}
	}
	return campaign{}, false
}

func less(a, b [2]int) bool { return a[0] < b[0] || a[0] == b[0] && a[1] < b[1] }

func (g *generator) writeCharter() error {
	var b strings.Builder
	b.WriteString(`# The charter of Maison Exemple, as example-calendar has it, with a campaign
# calendar for every year and the cadence of a team that posts every day.
brand: Maison Exemple
timezone: Europe/Paris
locale: fr-FR

accounts:
  mastodon: {network: mastodon, server: https://piaille.fr}
  bluesky:  {network: bluesky, handle: maison-exemple.bsky.social}
  x:        {network: x}
  linkedin: {network: linkedin, author: "urn:li:organization:2414183"}
  feed:     {network: feed, path: public/feed.xml, title: Maison Exemple, link: https://maison-exemple.fr}
  outbox:   {network: outbox, dir: outbox}

editorial_line:
  produit:    {description: Nos créations, share: {min: 0.2, max: 0.6}}
  coulisses:  {description: L'atelier et l'équipe, share: {min: 0.1}}
  communaute: {description: "Vos photos, vos votes, vos questions"}
  engagement: {description: Nos causes et nos partenaires}

campaigns:
`)
	for _, y := range g.years {
		for i, c := range campaigns {
			fmt.Fprintf(&b, "  %s-%d:\n", c.slug, y)
			fmt.Fprintf(&b, "    title: %s %d\n", c.title, y)
			fmt.Fprintf(&b, "    start: %d-%02d-%02d\n", y, c.start[0], c.start[1])
			fmt.Fprintf(&b, "    end: %d-%02d-%02d\n", y, c.end[0], c.end[1])
			fmt.Fprintf(&b, "    hashtags: [%q]\n", c.hashtag)
			fmt.Fprintf(&b, "    budget: %d\n", 300+100*i)
			fmt.Fprintf(&b, "    objectives: {engagement_rate: 0.0%d, likes: %d}\n", 3+i%3, 400+50*i)
		}
	}
	b.WriteString(`
voice:
  banned: ["pas cher", "gratuit !!!", "low cost"]
  prefer: {"e-mail": "courriel", "newsletter": "lettre d'information"}
  max_hashtags: 3
  max_emojis: 3
  require_alt_text: true

cadence:
  windows: {mon-fri: "07:00-21:00", sat-sun: "09:00-19:00"}
  max_per_day: {default: 6, x: 8}
  min_gap: 2h
  max_lateness: 6h

key_dates:
  - fr-FR
  - {date: 2027-06-12, name: Anniversaire de la Maison}

rules:
  voice.max-emojis: warning
`)
	return g.write("charter.yaml", []byte(b.String()))
}
