package httpx

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// BaseURL reads a service's base URL from an account's charter field
// (api:, server:...): an https URL, or http on the loopback interface (a
// test server, a local gateway), without a trailing slash; def when the
// field is empty. Credentials never travel in clear to another host.
func BaseURL(field, value, def string) (*url.URL, error) {
	if value == "" {
		value = def
	}
	u, err := url.Parse(strings.TrimRight(value, "/"))
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%s %q is not a URL such as %s", field, value, def)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && IsLoopback(u.Hostname()):
	case u.Scheme == "http":
		return nil, fmt.Errorf("%s %q: use https (the credentials would travel in clear)", field, value)
	default:
		return nil, fmt.Errorf("%s %q is not an https URL", field, value)
	}
	return u, nil
}

// IsLoopback reports whether a host is this machine: localhost or a
// loopback address.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
