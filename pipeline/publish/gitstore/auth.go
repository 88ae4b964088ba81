package gitstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Credentials come from the environment only:
//
//   - HTTPS: HERALD_GIT_TOKEN, sent as the password of HERALD_GIT_USERNAME
//     (default "x-access-token") to whatever host the remote names; else
//     GITHUB_TOKEN, as GitHub expects it (user "x-access-token"), sent only
//     to github.com or to the host of GITHUB_SERVER_URL (GitHub Enterprise).
//     Without either, credentials in the remote's URL are used, if any.
//   - SSH: the private key file HERALD_SSH_KEY (passphrase
//     HERALD_SSH_KEY_PASSPHRASE), else ssh-agent. Host keys are checked
//     against known_hosts as go-git does (SSH_KNOWN_HOSTS, ~/.ssh/known_hosts);
//     HERALD_SSH_INSECURE_IGNORE_HOST_KEY=1 turns that off, for tests only.
const (
	envGitToken     = "HERALD_GIT_TOKEN"
	envGitUsername  = "HERALD_GIT_USERNAME"
	envGitHubToken  = "GITHUB_TOKEN"
	envGitHubServer = "GITHUB_SERVER_URL"
	envSSHKey       = "HERALD_SSH_KEY"
	envSSHPass      = "HERALD_SSH_KEY_PASSPHRASE"
	envSSHInsecure  = "HERALD_SSH_INSECURE_IGNORE_HOST_KEY"
)

// auth picks the credentials for the remote's URL. source names the
// variable they came from, for error messages.
func (s *Store) auth() (transport.AuthMethod, error) {
	m, _, err := s.authFor()
	return m, err
}

func (s *Store) authFor() (m transport.AuthMethod, source string, err error) {
	ep, err := transport.NewEndpoint(s.url)
	if err != nil {
		return nil, "", fmt.Errorf("gitstore: remote %s: %s", s.opts.Remote, s.scrub(err.Error()))
	}
	env := s.opts.Getenv
	switch ep.Protocol {
	case "http", "https":
		if tok := env(envGitToken); tok != "" {
			user := env(envGitUsername)
			if user == "" {
				user = "x-access-token"
			}
			return &githttp.BasicAuth{Username: user, Password: tok}, envGitToken, nil
		}
		if tok := env(envGitHubToken); tok != "" && isGitHubHost(ep.Host, env(envGitHubServer)) {
			return &githttp.BasicAuth{Username: "x-access-token", Password: tok}, envGitHubToken, nil
		}
		if ep.User != "" {
			return nil, "the remote's URL", nil
		}
		return nil, "", nil
	case "ssh":
		user := ep.User
		if user == "" {
			user = "git"
		}
		var keys transport.AuthMethod
		var cb *gitssh.HostKeyCallbackHelper
		if key := env(envSSHKey); key != "" {
			k, err := gitssh.NewPublicKeysFromFile(user, key, env(envSSHPass))
			if err != nil {
				return nil, "", fmt.Errorf("gitstore: read the SSH key %s=%s: %s", envSSHKey, key, s.scrub(err.Error()))
			}
			cb, keys, source = &k.HostKeyCallbackHelper, k, envSSHKey
		} else {
			k, err := gitssh.NewSSHAgentAuth(user)
			if err != nil {
				return nil, "", fmt.Errorf("gitstore: no SSH key for %s: set %s to a private key file, or start ssh-agent: %s", ep.Host, envSSHKey, s.scrub(err.Error()))
			}
			cb, keys, source = &k.HostKeyCallbackHelper, k, "ssh-agent"
		}
		if env(envSSHInsecure) == "1" {
			cb.HostKeyCallback = gossh.InsecureIgnoreHostKey()
		}
		return keys, source, nil
	}
	return nil, "", nil
}

// isGitHubHost reports whether GITHUB_TOKEN may be sent to host.
func isGitHubHost(host, server string) bool {
	if strings.EqualFold(host, "github.com") {
		return true
	}
	if u, err := url.Parse(server); err == nil && u.Host != "" {
		return strings.EqualFold(u.Host, host) || strings.EqualFold(u.Hostname(), host)
	}
	return false
}

// secretsOf lists the values that must never be shown.
func secretsOf(getenv func(string) string, remoteURL string) []string {
	var out []string
	for _, k := range []string{envGitToken, envGitHubToken, envSSHPass} {
		if v := getenv(k); v != "" {
			out = append(out, v)
		}
	}
	if u, err := url.Parse(remoteURL); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			out = append(out, p)
		}
	}
	return out
}

var urlPassword = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://[^/@\s:]*):[^/@\s]*@`)

// scrub removes secrets and the passwords of URLs from a message.
func (s *Store) scrub(msg string) string {
	for _, v := range s.secrets {
		msg = strings.ReplaceAll(msg, v, "***")
	}
	return urlPassword.ReplaceAllString(msg, "$1:***@")
}

// displayURL is the remote's URL without its password.
func (s *Store) displayURL() string {
	if u, err := url.Parse(s.url); err == nil && u.Scheme != "" {
		return u.Redacted()
	}
	return s.scrub(s.url)
}

// scrubbedError carries a go-git error's text without secrets. It unwraps
// to the sentinel errors the text came with, not to the original error,
// whose text may hold them.
type scrubbedError struct {
	msg  string
	kind []error
}

func (e *scrubbedError) Error() string   { return e.msg }
func (e *scrubbedError) Unwrap() []error { return e.kind }

var transportSentinels = []error{
	transport.ErrAuthenticationRequired,
	transport.ErrAuthorizationFailed,
	transport.ErrRepositoryNotFound,
	transport.ErrEmptyRemoteRepository,
	transport.ErrInvalidAuthMethod,
}

// remoteError wraps an error of talking to the remote: what failed, where,
// and for credentials what to check.
func (s *Store) remoteError(what string, err error) error {
	if err == nil {
		return nil
	}
	var kind []error
	for _, k := range transportSentinels {
		if errors.Is(err, k) {
			kind = append(kind, k)
		}
	}
	for _, k := range []error{ErrRejected, ErrAuth, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, k) {
			kind = append(kind, k)
		}
	}
	msg := fmt.Sprintf("gitstore: %s %s: %s", what, s.displayURL(), s.scrub(err.Error()))
	if errors.Is(err, transport.ErrAuthenticationRequired) || errors.Is(err, transport.ErrAuthorizationFailed) ||
		strings.Contains(err.Error(), "unable to authenticate") {
		_, source, _ := s.authFor()
		switch {
		case source == "" && s.opts.Getenv(envGitHubToken) != "":
			msg = fmt.Sprintf("gitstore: %s %s: %s: no credentials were given: %s is sent only to github.com and to the host of %s; set %s for this remote", what, s.displayURL(), ErrAuth, envGitHubToken, envGitHubServer, envGitToken)
		case source == "":
			msg = fmt.Sprintf("gitstore: %s %s: %s: no credentials were given; set %s (or %s in GitHub Actions)", what, s.displayURL(), ErrAuth, envGitToken, envGitHubToken)
		case source == envSSHKey || source == "ssh-agent":
			msg = fmt.Sprintf("gitstore: %s %s: %s: the server refused the key from %s; check that it is a deploy key of this repository with write access", what, s.displayURL(), ErrAuth, source)
		default:
			msg = fmt.Sprintf("gitstore: %s %s: %s: the server refused the credentials from %s; check the token and that it may read and write this repository", what, s.displayURL(), ErrAuth, source)
		}
		kind = append(kind, ErrAuth)
	}
	if strings.Contains(err.Error(), "knownhosts: key is unknown") || strings.Contains(err.Error(), "knownhosts: key mismatch") {
		msg += "; the server's host key is not the one known_hosts holds for it (SSH_KNOWN_HOSTS, else ~/.ssh/known_hosts): add it, e.g. with ssh-keyscan, after checking its fingerprint"
	}
	return &scrubbedError{msg: msg, kind: kind}
}
