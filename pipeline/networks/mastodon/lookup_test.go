package mastodon

import "testing"

func TestContentMatchesText(t *testing.T) {
	tests := []struct {
		name, content, text string
		same                bool
	}{
		{"paragraphs and line breaks",
			`<p>Première ligne<br />seconde</p><p>Nouveau paragraphe</p>`,
			"Première ligne\nseconde\n\nNouveau paragraphe", true},
		{"entities",
			`<p>L&#39;atelier &amp; la boutique &lt;3</p>`, "L'atelier & la boutique <3", true},
		{"a shortened link keeps its hidden parts",
			`<p>Voir <a href="https://maison-exemple.fr/avent/2026/jour-1" rel="nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="ellipsis">maison-exemple.fr/avent/2026/j</span><span class="invisible">our-1</span></a></p>`,
			"Voir https://maison-exemple.fr/avent/2026/jour-1", true},
		{"hashtag",
			`<p><a href="https://piaille.fr/tags/noelmaison" class="mention hashtag" rel="tag">#<span>NoelMaison</span></a></p>`,
			"#NoelMaison", true},
		{"a remote mention shows as @user",
			`<p>Avec <span class="h-card"><a href="https://piaille.fr/@atelier" class="u-url mention">@<span>atelier</span></a></span> !</p>`,
			"Avec @atelier@piaille.fr !", true},
		{"an e-mail address is not a mention",
			`<p>contact@maison.fr</p>`, "contact@maison.fr", true},
		{"another text", `<p>Bonjour</p>`, "Bonsoir", false},
		{"one more word", `<p>Bonjour à tous</p>`, "Bonjour", false},
		{"NFC", "<p>e\u0301t\u00e9</p>", "\u00e9t\u00e9", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, want := normalize(htmlText(tt.content)), normalize(tt.text)
			if (got == want) != tt.same {
				t.Errorf("content %q reads %q, text %q; same = %v, want %v", tt.content, got, want, got == want, tt.same)
			}
		})
	}
}

func TestLanguage(t *testing.T) {
	for tag, want := range map[string]string{"fr-FR": "fr", "en": "en", "pt_BR": "pt", "FIL-PH": "fil", "": "", "x-klingon": "", "zh-Hant-TW": "zh"} {
		if got := language(tag); got != want {
			t.Errorf("language(%q) = %q, want %q", tag, got, want)
		}
	}
}

func TestServerURL(t *testing.T) {
	for server, want := range map[string]string{
		"https://piaille.fr":       "https://piaille.fr",
		"https://piaille.fr/":      "https://piaille.fr",
		"piaille.fr":               "https://piaille.fr",
		"http://127.0.0.1:3000":    "http://127.0.0.1:3000",
		"https://example.com/sub/": "https://example.com/sub",
	} {
		u, err := serverURL(server)
		if err != nil || u.String() != want {
			t.Errorf("serverURL(%q) = %v, %v; want %s", server, u, err, want)
		}
	}
	for _, bad := range []string{"", "http://piaille.fr", "ftp://piaille.fr", "https://", "https://x.fr/?a=b"} {
		if u, err := serverURL(bad); err == nil {
			t.Errorf("serverURL(%q) = %v, want an error", bad, u)
		}
	}
}
