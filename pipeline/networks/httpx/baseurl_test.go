package httpx

import "testing"

func TestBaseURL(t *testing.T) {
	const def = "https://api.example.com/v1"
	for _, tt := range []struct {
		value, want string
		ok          bool
	}{
		{"", def, true},
		{"https://proxy.example.com/x/", "https://proxy.example.com/x", true},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", true},
		{"http://[::1]:8080/v1", "http://[::1]:8080/v1", true},
		{"http://localhost:9", "http://localhost:9", true},
		{"http://api.example.com", "", false}, // a token would travel in clear
		{"ftp://api.example.com", "", false},
		{"https://api.example.com/?q=1", "", false},
		{"not a url", "", false},
	} {
		u, err := BaseURL("api", tt.value, def)
		if (err == nil) != tt.ok || (err == nil && u.String() != tt.want) {
			t.Errorf("BaseURL(%q) = %v, %v; want %q, ok %v", tt.value, u, err, tt.want, tt.ok)
		}
	}
}
