package bench

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// topic is what a post is about, with the editorial tag it falls under.
type topic struct {
	slug, name, tag string
}

var topics = []topic{
	{"bougie-veillee", "la bougie « Veillée »", "produit"},
	{"plaid-laine", "le plaid en laine cardée", "produit"},
	{"carnets", "les carnets cousus main", "produit"},
	{"tasses", "les tasses en grès émaillé", "produit"},
	{"pochette", "la pochette brodée", "produit"},
	{"couronne", "la couronne de fête", "produit"},
	{"gravure", "la gravure d'initiales", "produit"},
	{"atelier", "l'atelier de Montreuil", "coulisses"},
	{"equipe", "l'équipe du matin", "coulisses"},
	{"fournisseurs", "nos fournisseurs de cire", "coulisses"},
	{"emballage", "l'emballage en tissu", "coulisses"},
	{"vos-photos", "vos photos du mois", "communaute"},
	{"vote", "le vote des couleurs", "communaute"},
	{"questions", "vos questions", "communaute"},
	{"partenaire", "notre association partenaire", "engagement"},
	{"recyclage", "la collecte des pots vides", "engagement"},
}

var openers = []string{
	"Ce matin à l'atelier, on vous présente %s ✨",
	"Nouveauté : %s arrive en boutique 🎉",
	"On vous l’avait promis : voici %s.",
	"Petite visite guidée : %s, de la matière première à l’étagère 🧶",
	"Vous êtes nombreux à nous demander des nouvelles de %s… les voici !",
	"Derrière %s, il y a des heures de travail à la main 👩‍🎨",
	"Zoom sur %s, fabriqué·e à deux pas de chez vous 🇫🇷",
	"Question du jour : que pensez-vous de %s ? ☕",
}

var sentences = []string{
	"Chaque pièce est façonnée à la main, sans moule ni raccourci.",
	"La cire de colza vient d'une ferme de la Marne, à 150 km de l'atelier.",
	"Les couleurs ont été choisies par vous, lors du vote de l'été dernier.",
	"Léa a passé trois semaines à mettre au point la recette définitive.",
	"On a testé douze mèches différentes avant de trouver la bonne.",
	"Les chutes de tissu partent chez notre partenaire de réemploi.",
	"Résultat : une combustion plus lente, plus régulière et sans fumée noire.",
	"Le grès est cuit deux fois, à 1 280 °C, dans le four de Jérémie.",
	"Tout est emballé dans du papier recyclé, sans plastique.",
	"Vous pouvez suivre la fabrication en direct samedi prochain.",
	"Les précommandes ouvrent jeudi, les envois partent la semaine suivante.",
	"Un grand merci à celles et ceux qui nous ont envoyé leurs photos 💛",
	"L'atelier est ouvert au public le premier samedi du mois, de 10 h à 18 h.",
	"Notre prochaine fournée sort du séchoir dans une dizaine de jours.",
	"Côté coulisses, on a réaménagé l'établi pour gagner en lumière.",
	"On a aussi retravaillé l'étiquette : plus lisible, plus sobre.",
	"Les plus curieux trouveront la fiche technique complète sur le site.",
	"Et comme toujours, 1 € par vente part à l'association Les Petits Frères.",
	"Vous nous dites en commentaire ce que vous aimeriez voir ensuite ?",
	"Spéciale dédicace à Noé, notre stagiaire, qui a tout photographié.",
}

var links = []string{
	"https://maison-exemple.fr/boutique",
	"https://maison-exemple.fr/atelier?utm_source=social",
	"https://maison-exemple.fr/journal/coulisses",
	"https://maison-exemple.fr/engagement#association",
	"https://www.youtube.com/watch?v=dQw4w9WgXcQ",
}

var hashtags = []string{"#FaitMain", "#Artisanat", "#Déco", "#MadeInFrance", "#Atelier", "#ZéroDéchet", "#Fête"}

var alts = []string{
	"Une bougie allumée dans un pot en verre ambré, sur une table en bois clair.",
	"Trois carnets aux couvertures colorées, posés en éventail.",
	"Léa, tablier bleu, verse de la cire fondue dans des moules en verre.",
	"Un plaid gris chiné plié sur le dossier d'un fauteuil en rotin.",
	"L'établi de l'atelier vu de haut, avec des outils rangés par taille.",
	"Une pile de paquets emballés dans du tissu à motifs, noués d'un ruban.",
}

var weekdaysFR = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
var monthsFR = [...]string{"", "janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	"août", "septembre", "octobre", "novembre", "décembre"}

// when writes a date as a French post does: "le mardi 3 mars 2027 à 9 h 45".
// It makes each post's text its own, as the duplicate-text rule expects.
func when(t time.Time) string {
	day := fmt.Sprint(t.Day())
	if day == "1" {
		day = "1er"
	}
	return fmt.Sprintf("le %s %s %s %d à %d h %02d", weekdaysFR[t.Weekday()], day, monthsFR[t.Month()], t.Year(), t.Hour(), t.Minute())
}

// mistake is a slip writers make, planted in a few posts so that check
// reports something on a realistic share of them.
type mistake int

const (
	noMistake mistake = iota
	bannedPhrase
	preferredWord
	missingAlt
	variantComment // an unquoted variant whose hashtag YAML reads as a comment
	unknownTag
	tooManyHashtags
	missingMedium
	tooLong // a text longer than X and Bluesky take
	mistakeKinds
)

// post is one generated post before it is written out.
type post struct {
	rel      string
	id       string
	date     string
	networks []string
	campaign *campaign
	tags     []string
	draft    bool
	title    string
	media    [][2]string // src, alt ("" for none)
	variants [][2]string // key, text
	text     string      // the body without its hashtags
	tagLine  string      // the hashtags that end the body
	parts    int         // thread parts of the body
	body     string
	slip     mistake
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

func (g *generator) writePost(i int) error {
	t := g.slots[i]
	tp := topics[g.rng.IntN(len(topics))]
	p := &post{rel: fmt.Sprintf("posts/%04d/%02d/%02d-%02d%02d-%s.md", t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), tp.slug)}
	if g.chance(0.03) {
		p.slip = mistake(1 + g.rng.IntN(int(mistakeKinds)-1))
	}
	if g.chance(0.1) {
		p.id = fmt.Sprintf("%s-%s", tp.slug, t.Format("20060102-1504"))
	}
	if g.chance(0.85) {
		p.date = t.Format(time.RFC3339)
	} else {
		p.date = t.Format("2006-01-02 15:04")
	}
	for _, a := range []struct {
		key string
		p   float64
	}{{"mastodon", 0.9}, {"bluesky", 0.85}, {"x", 0.6}, {"linkedin", 0.35}, {"feed", 0.5}, {"outbox", 0.25}} {
		if g.chance(a.p) {
			p.networks = append(p.networks, a.key)
		}
	}
	if len(p.networks) == 0 {
		p.networks = []string{"mastodon"}
	}
	if c, ok := campaignOn(t); ok && g.chance(0.7) {
		c.slug = fmt.Sprintf("%s-%d", c.slug, t.Year())
		p.campaign = &c
	}
	p.tags = []string{tp.tag}
	if g.chance(0.35) {
		second := topics[g.rng.IntN(len(topics))].tag
		if second != tp.tag {
			p.tags = append(p.tags, second)
		}
	}
	if p.slip == unknownTag {
		p.tags = append(p.tags, "promo")
	}
	p.draft = g.chance(0.04)
	if g.chance(0.7) {
		p.title = strings.ToUpper(tp.name[:1]) + tp.name[1:] + ", " + t.Format("02/01")
	}
	for range g.mediaCount() {
		p.media = append(p.media, [2]string{"../../../media/" + g.pick(g.media), g.pick(alts)})
	}
	if p.slip == missingAlt && len(p.media) == 0 {
		p.media = append(p.media, [2]string{"../../../media/" + g.pick(g.media), ""})
	} else if p.slip == missingAlt {
		p.media[0][1] = ""
	}
	if p.slip == missingMedium {
		p.media = append(p.media, [2]string{"../../../media/introuvable.jpg", g.pick(alts)})
	}
	g.body(tp, t, p)
	if has(p.networks, "x") && g.chance(0.5) {
		p.variants = append(p.variants, [2]string{"x", g.short(tp, t, p)})
	}
	if has(p.networks, "linkedin") && g.chance(0.3) {
		p.variants = append(p.variants, [2]string{"linkedin", g.long(tp, t, p)})
	}
	toml := g.chance(0.03)
	if g.postBytes > 0 {
		g.pad(tp, t, p, toml)
	}
	return g.write(p.rel, []byte(p.content(toml)))
}

func (p *post) content(toml bool) string {
	p.body = p.text + "\n\n" + p.tagLine + "\n"
	if toml {
		return p.toml()
	}
	return p.yaml()
}

// pad makes a post as large as a size drawn around g.postBytes. Most posts
// become longer threads, each part fitting the networks that take fewest
// characters; about a third of the single posts become a long text, for
// LinkedIn and the feed, with short variants for X, Bluesky and Mastodon.
func (g *generator) pad(tp topic, t time.Time, p *post, toml bool) {
	target := int(float64(g.postBytes) * (0.5 + g.rng.Float64()))
	if p.parts == 1 && p.slip != tooLong && g.chance(0.35) {
		for _, network := range []string{"x", "bluesky", "mastodon"} {
			if has(p.networks, network) && !slices.ContainsFunc(p.variants, func(v [2]string) bool { return v[0] == network }) {
				p.variants = append(p.variants, [2]string{network, g.short(tp, t, p)})
			}
		}
		for g.grow(p, toml, target, "\n\n"+g.paragraph(600)) {
		}
		return
	}
	for g.grow(p, toml, target, "\n\n---\n\n"+g.paragraph(partLength)) {
		p.parts++
	}
}

// grow adds more to the post's text when that brings the file closer to
// target bytes, and reports whether it did.
func (g *generator) grow(p *post, toml bool, target int, more string) bool {
	size := len(p.content(toml))
	text := p.text
	p.text += more
	if grown := len(p.content(toml)); grown-target >= target-size {
		p.text = text
		return false
	}
	return true
}

// paragraph writes sentences of details, at most limit characters of
// Markdown in all, now and then as a list or with a link.
func (g *generator) paragraph(limit int) string {
	if g.chance(0.1) {
		first := g.rng.IntN(len(details))
		second := (first + 1 + g.rng.IntN(len(details)-1)) % len(details)
		return "Au programme :\n\n- " + details[first] + "\n- " + details[second]
	}
	var b strings.Builder
	for used := 0; ; {
		s := g.pick(details)
		if g.chance(0.1) {
			l := labelledLinks[g.rng.IntN(len(labelledLinks))]
			s = fmt.Sprintf("Tout est expliqué sur [%s](%s).", l[0], l[1])
		}
		n := utf8.RuneCountInString(s)
		if used > 0 && used+1+n > limit {
			return b.String()
		}
		if used > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s)
		used += 1 + n
	}
}

// details are sentences that pad posts: without emojis, hashtags or the
// charter's banned and frowned-upon words, so that longer posts carry no
// more mistakes than shorter ones.
var details = []string{
	"Le pot est en verre recyclé, soufflé dans une verrerie de la Loire.",
	"Comptez une cinquantaine d'heures de combustion si vous coupez la mèche à 5 mm.",
	"Le tissu vient d'un tisserand des Vosges qui travaille le lin depuis quatre générations.",
	"Chaque carnet compte 120 pages de papier ivoire, cousues à la main par Camille.",
	"On a choisi un émail *mat* pour l'extérieur et **brillant** pour l'intérieur.",
	"La couleur change légèrement d'une fournée à l'autre : c'est le charme du fait main.",
	"Pensez à laisser la bougie brûler une heure la première fois, pour une fonte bien régulière.",
	"Les étiquettes sont imprimées en typographie, sur une presse de 1962 restaurée par Jérémie.",
	"Le parfum de figuier a été composé avec une parfumeuse de Grasse, après six essais.",
	"Tout part de l'atelier de Montreuil, à vélo cargo quand c'est possible.",
	"Nous répondons à toutes les questions en message privé, du lundi au vendredi.",
	"Le coffret se recycle entièrement : carton, ficelle de coton et papier de soie.",
	"On a mesuré : une tasse garde le thé chaud dix minutes de plus qu'une tasse en porcelaine.",
	"La laine est lavée à froid, sans produits chimiques, puis cardée à la main.",
	"Les pots vides rapportés en boutique sont lavés et remplis à nouveau.",
	"Il faut compter trois jours entre le coulage de la cire et la mise en boutique.",
	"L'équipe compte désormais six personnes, dont deux apprenties en alternance.",
	"La fiche d'entretien est glissée dans chaque colis, avec un mot écrit à la main.",
	"Les motifs ont été dessinés par Inès, puis gravés sur des tampons en bois.",
	"Nos emballages sont pensés pour tenir dans une boîte aux lettres.",
	"Vous avez été plus de 2 000 à voter : le vert sauge l'emporte de peu.",
	"La collection complète est en ligne dès 9 h, et en boutique à partir de 11 h.",
	"Une partie de la série est réservée aux ateliers d'initiation du samedi.",
	"On prépare déjà la suite, avec une cire d'abeille récoltée à 20 km d'ici.",
}

var labelledLinks = [][2]string{
	{"le journal de l'atelier", "https://maison-exemple.fr/journal/coulisses"},
	{"notre site", "https://maison-exemple.fr"},
	{"la page de la collection", "https://maison-exemple.fr/boutique/collection-hiver"},
	{"la fiche produit", "https://maison-exemple.fr/boutique/bougie-veillee?utm_source=social"},
}

func (g *generator) mediaCount() int {
	switch r := g.rng.Float64(); {
	case r < 0.35:
		return 0
	case r < 0.8:
		return 1
	case r < 0.95:
		return 2
	}
	return 3
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// partLength is the most characters a generated thread part holds, so that
// it fits Bluesky's 300 graphemes and X's 280 weighted characters (a link
// weighs 23 there, an emoji 2) once the hashtags are added to the last one.
const partLength = 200

// body writes the Markdown body: a few short paragraphs, sometimes a thread.
func (g *generator) body(tp topic, t time.Time, p *post) {
	parts := 1
	if g.chance(0.15) {
		parts = 2 + g.rng.IntN(3)
	}
	tags := []string{g.pick(hashtags)}
	if g.chance(0.3) {
		tags = append(tags, g.pick(hashtags))
	}
	if p.slip == tooManyHashtags {
		tags = append(tags, "#Bougies", "#Cadeaux", "#Hiver")
	}
	if p.campaign != nil {
		tags = append(tags, p.campaign.hashtag)
	}
	var b strings.Builder
	for part := range parts {
		var paragraph []string
		used := 0
		add := func(s string) bool {
			n := utf8.RuneCountInString(s)
			if used+n > partLength && len(paragraph) > 0 {
				return false
			}
			paragraph, used = append(paragraph, s), used+n+1
			return true
		}
		if part == 0 {
			add(fmt.Sprintf(openers[g.rng.IntN(len(openers))], "**"+tp.name+"**"))
			add(fmt.Sprintf("Rendez-vous %s.", when(t)))
		} else {
			b.WriteString("\n\n---\n\n")
		}
		for range 1 + g.rng.IntN(3) {
			if !add(g.pick(sentences)) {
				break
			}
		}
		if part == parts-1 {
			switch p.slip {
			case bannedPhrase:
				paragraph = append(paragraph, "Et non, ce n'est pas cher : c'est juste.")
			case preferredWord:
				paragraph = append(paragraph, "Inscrivez-vous à notre newsletter.")
			case tooLong:
				paragraph = append(paragraph, sentences...)
			}
		}
		b.WriteString(strings.Join(paragraph, " "))
		if g.chance(0.3) && used+40 < partLength {
			fmt.Fprintf(&b, "\n\nTous les détails : %s", g.pick(links))
		} else if g.chance(0.1) && used+50 < partLength {
			b.WriteString("\n\n- cire végétale\n- mèche en coton\n- parfum de figuier")
		}
	}
	p.text, p.tagLine, p.parts = b.String(), strings.Join(tags, " "), parts
}

// short writes a text for X.
func (g *generator) short(tp topic, t time.Time, p *post) string {
	s := fmt.Sprintf("%s, %s 🕯️ %s", strings.ToUpper(tp.name[:1])+tp.name[1:], when(t), g.pick(links))
	if p.campaign != nil {
		s += " " + p.campaign.hashtag
	}
	return s
}

// long writes a text for LinkedIn.
func (g *generator) long(tp topic, t time.Time, p *post) string {
	s := fmt.Sprintf("Chez Maison Exemple, %s raconte notre façon de travailler. %s %s Rendez-vous %s.",
		tp.name, g.pick(sentences), g.pick(sentences), when(t))
	if p.campaign != nil {
		s += " " + p.campaign.hashtag
	}
	return s
}

func (p *post) yaml() string {
	var b strings.Builder
	b.WriteString("---\n")
	if p.id != "" {
		fmt.Fprintf(&b, "id: %s\n", p.id)
	}
	fmt.Fprintf(&b, "date: %s\n", p.date)
	fmt.Fprintf(&b, "networks: [%s]\n", strings.Join(p.networks, ", "))
	if p.campaign != nil {
		fmt.Fprintf(&b, "campaign: %s\n", p.campaign.slug)
	}
	fmt.Fprintf(&b, "tags: [%s]\n", strings.Join(p.tags, ", "))
	if p.draft {
		b.WriteString("status: draft\n")
	}
	if p.title != "" {
		fmt.Fprintf(&b, "title: %q\n", p.title)
	}
	if len(p.media) > 0 {
		b.WriteString("media:\n")
		for _, m := range p.media {
			fmt.Fprintf(&b, "  - src: %s\n", m[0])
			if m[1] != "" {
				fmt.Fprintf(&b, "    alt: %q\n", m[1])
			}
		}
	}
	if len(p.variants) > 0 {
		b.WriteString("variants:\n")
		for i, v := range p.variants {
			if i == 0 && p.slip == variantComment && p.campaign != nil {
				fmt.Fprintf(&b, "  %s: Dernier jour pour en profiter, %s %s\n", v[0], p.date[:10], p.campaign.hashtag)
				continue
			}
			fmt.Fprintf(&b, "  %s: %q\n", v[0], v[1])
		}
	}
	b.WriteString("---\n")
	b.WriteString(p.body)
	return b.String()
}

func (p *post) toml() string {
	quoted := func(list []string) string {
		q := make([]string, len(list))
		for i, s := range list {
			q[i] = fmt.Sprintf("%q", s)
		}
		return strings.Join(q, ", ")
	}
	var b strings.Builder
	b.WriteString("+++\n")
	if p.id != "" {
		fmt.Fprintf(&b, "id = %q\n", p.id)
	}
	fmt.Fprintf(&b, "date = %q\n", p.date)
	fmt.Fprintf(&b, "networks = [%s]\n", quoted(p.networks))
	if p.campaign != nil {
		fmt.Fprintf(&b, "campaign = %q\n", p.campaign.slug)
	}
	fmt.Fprintf(&b, "tags = [%s]\n", quoted(p.tags))
	if p.draft {
		b.WriteString("status = \"draft\"\n")
	}
	if p.title != "" {
		fmt.Fprintf(&b, "title = %q\n", p.title)
	}
	if len(p.variants) > 0 {
		b.WriteString("\n[variants]\n")
		for _, v := range p.variants {
			fmt.Fprintf(&b, "%s = %q\n", v[0], v[1])
		}
	}
	for _, m := range p.media {
		fmt.Fprintf(&b, "\n[[media]]\nsrc = %q\n", m[0])
		if m[1] != "" {
			fmt.Fprintf(&b, "alt = %q\n", m[1])
		}
	}
	b.WriteString("+++\n")
	b.WriteString(p.body)
	return b.String()
}
