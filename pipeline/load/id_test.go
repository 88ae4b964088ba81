package load

import "testing"

func TestCheckID(t *testing.T) {
	tests := []struct {
		id string
		ok bool
	}{
		{"launch", true},
		{"news/2026/launch", true},
		{"accounts", true},        // state/accounts.json: a file beside the folder
		{"news/accounts/x", true}, // deeper down: no collision
		{"news/../launch", false},
		{"a/.", false},
		{"./a", false},
		{"..", false},
		{"/etc/passwd", false},
		{"C:/x", false},
		{`a\b`, false},
		{"a//b", false},
		{"a/", false},
		{"", false},
		{"accounts/mastodon", false},
		{"instances/mastodon", false},
		{"Accounts/mastodon", false}, // the same folder on macOS and Windows
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			err := CheckID(tt.id)
			if (err == nil) != tt.ok {
				t.Errorf("CheckID(%q) = %v, want ok %v", tt.id, err, tt.ok)
			}
		})
	}
}
