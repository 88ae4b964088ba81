package xtest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The OAuth 1.0a verification is written here by hand from RFC 5849,
// independently of the client's signing library, so that a test proves
// the signature X would check.

// encode is RFC 5849 3.6 percent-encoding: every byte but the unreserved
// characters, as %XX in upper case.
func encode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// authParams reads an Authorization: OAuth header (RFC 5849 3.5.1):
// comma-separated name="value" pairs, values percent-encoded.
func authParams(h string) (map[string]string, error) {
	rest, ok := strings.CutPrefix(h, "OAuth ")
	if !ok {
		return nil, fmt.Errorf("Authorization is not OAuth 1.0a (%.12q...)", h)
	}
	params := map[string]string{}
	for _, pair := range strings.Split(rest, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		name, quoted, ok := strings.Cut(pair, "=")
		if !ok || len(quoted) < 2 || quoted[0] != '"' || quoted[len(quoted)-1] != '"' {
			return nil, fmt.Errorf("Authorization: %q is not name=\"value\"", pair)
		}
		v, err := url.PathUnescape(quoted[1 : len(quoted)-1])
		if err != nil {
			return nil, fmt.Errorf("Authorization: %s: %v", name, err)
		}
		if _, dup := params[name]; dup {
			return nil, fmt.Errorf("Authorization: %s twice", name)
		}
		params[name] = v
	}
	return params, nil
}

// credentials are the four secrets of OAuth 1.0a user context.
type credentials struct {
	consumerKey, consumerSecret, token, tokenSecret string
}

// verify checks a request's OAuth 1.0a signature (HMAC-SHA1, RFC 5849
// 3.4). known is false when the consumer key or token is not the
// server's (X answers 401); err says what is wrong with a request signed
// with them, which a client must never send.
func verify(r *http.Request, body []byte, c credentials, seen map[string]bool, now time.Time) (known bool, err error) {
	params, err := authParams(r.Header.Get("Authorization"))
	if err != nil {
		return false, err
	}
	for _, name := range []string{"oauth_consumer_key", "oauth_token", "oauth_signature_method", "oauth_timestamp", "oauth_nonce", "oauth_signature"} {
		if params[name] == "" {
			return false, fmt.Errorf("Authorization has no %s", name)
		}
	}
	for name := range params {
		switch name {
		case "oauth_consumer_key", "oauth_token", "oauth_signature_method", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_version", "realm":
		default:
			return false, fmt.Errorf("Authorization has %s, not an OAuth 1.0a parameter", name)
		}
	}
	if v, ok := params["oauth_version"]; ok && v != "1.0" {
		return false, fmt.Errorf("oauth_version %q, want 1.0", v)
	}
	if params["oauth_signature_method"] != "HMAC-SHA1" {
		return false, fmt.Errorf("oauth_signature_method %q, want HMAC-SHA1", params["oauth_signature_method"])
	}
	if params["oauth_consumer_key"] != c.consumerKey || params["oauth_token"] != c.token {
		return false, nil
	}
	ts, err := strconv.ParseInt(params["oauth_timestamp"], 10, 64)
	if err != nil || time.Unix(ts, 0).Sub(now).Abs() > 5*time.Minute {
		return true, fmt.Errorf("oauth_timestamp %q is not the current Unix time", params["oauth_timestamp"])
	}
	if seen[params["oauth_nonce"]] {
		return true, fmt.Errorf("oauth_nonce %q was used before", params["oauth_nonce"])
	}
	seen[params["oauth_nonce"]] = true

	// 3.4.1.3.1: the query, the oauth_* parameters but the signature, and
	// a form body's parameters; a JSON or multipart body is not signed.
	var pairs [][2]string
	for k, vs := range r.URL.Query() {
		for _, v := range vs {
			pairs = append(pairs, [2]string{encode(k), encode(v)})
		}
	}
	for k, v := range params {
		if k != "oauth_signature" && k != "realm" {
			pairs = append(pairs, [2]string{encode(k), encode(v)})
		}
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/x-www-form-urlencoded" {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return true, err
		}
		for k, vs := range form {
			for _, v := range vs {
				pairs = append(pairs, [2]string{encode(k), encode(v)})
			}
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i][0] != pairs[j][0] {
			return pairs[i][0] < pairs[j][0]
		}
		return pairs[i][1] < pairs[j][1]
	})
	var norm []string
	for _, p := range pairs {
		norm = append(norm, p[0]+"="+p[1])
	}
	// 3.4.1.2: the base string URI, scheme and host in lower case, the
	// port only when it is not the scheme's default.
	host := strings.ToLower(r.Host)
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	baseURI := scheme + "://" + host + r.URL.EscapedPath()
	base := r.Method + "&" + encode(baseURI) + "&" + encode(strings.Join(norm, "&"))
	mac := hmac.New(sha1.New, []byte(encode(c.consumerSecret)+"&"+encode(c.tokenSecret)))
	mac.Write([]byte(base))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(params["oauth_signature"])) {
		return true, fmt.Errorf("oauth_signature %q is not the HMAC-SHA1 of the base string %q", params["oauth_signature"], base)
	}
	return true, nil
}
