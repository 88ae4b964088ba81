package main

import "testing"

// --serve without a host listens on this machine only, and says so; only
// an explicit host listens elsewhere, and that is said too.
func TestServeAddr(t *testing.T) {
	tests := []struct{ flag, addr, note string }{
		{"8080", "localhost:8080", "the preview listens on localhost:8080: only this machine can open it"},
		{":8080", "localhost:8080", "the preview listens on localhost:8080: only this machine can open it"},
		{"localhost:8080", "localhost:8080", "the preview listens on localhost:8080: only this machine can open it"},
		{"127.0.0.1:0", "127.0.0.1:0", "the preview listens on 127.0.0.1:0: only this machine can open it"},
		{"[::1]:8080", "[::1]:8080", "the preview listens on [::1]:8080: only this machine can open it"},
		{"0.0.0.0:8080", "0.0.0.0:8080", "the preview listens on 0.0.0.0:8080, every network interface of this machine: anyone who can reach it can read the posts, published or not"},
		{"192.168.1.20:8080", "192.168.1.20:8080", "the preview listens on 192.168.1.20:8080: other machines that can reach 192.168.1.20 can read the posts, published or not"},
	}
	for _, tt := range tests {
		addr, note, err := serveAddr(tt.flag)
		if err != nil || addr != tt.addr || note != tt.note {
			t.Errorf("serveAddr(%q) = %q, %q, %v\nwant %q, %q", tt.flag, addr, note, err, tt.addr, tt.note)
		}
	}
	for _, flag := range []string{"http://localhost:8080", "localhost", "80800", "x:y"} {
		if _, _, err := serveAddr(flag); err == nil {
			t.Errorf("serveAddr(%q) accepted it", flag)
		}
	}
}
