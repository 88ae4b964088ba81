// Package media reads what Herald needs to know of a calendar's images and
// videos: their MIME type, sniffed from their first bytes as browsers do,
// and a video's size and duration from its MP4 or QuickTime header.
package media

import (
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// Sniff returns a file's MIME type, read from its first bytes as
// browsers do (http.DetectContentType), or from its extension for formats
// the sniffer does not know (mov, heic), as check does.
func Sniff(fsys fs.FS, name string) (string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	return MIMEOf(head[:n], name), nil
}

// MIMEOf returns the MIME type of a file whose first bytes (up to 512)
// are head. Only content the sniffer cannot place falls back to the
// extension of name: a text file named .jpg stays text, and the networks
// refuse it.
func MIMEOf(head []byte, name string) string {
	mimeType := http.DetectContentType(head)
	if mimeType == "application/octet-stream" {
		ext := strings.ToLower(path.Ext(name))
		if byExt, ok := mediaExtensions[ext]; ok {
			mimeType = byExt
		} else if byExt := mime.TypeByExtension(ext); byExt != "" {
			mimeType = byExt
		}
	}
	mimeType, _, _ = strings.Cut(mimeType, ";")
	return mimeType
}

// mediaExtensions are the formats networks accept that neither the sniffer
// nor Go's built-in extension table know.
var mediaExtensions = map[string]string{
	".mov": "video/quicktime", ".qt": "video/quicktime", ".m4v": "video/mp4", ".mp4": "video/mp4",
	".heic": "image/heic", ".heif": "image/heif",
}
