package publication

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

// Digest returns the content digest of a publication, "sha256:<hex>": a
// SHA-256 over each part's exact text and, for each medium, the SHA-256 of
// the file's content (read from calendar) and its alt text. Every string
// is length-prefixed, so no two publications share a digest by moving a
// boundary. A medium's path and MIME type are left out: renaming a file
// changes nothing that is published.
func Digest(parts []networks.Part, calendar fs.FS) (string, error) {
	return DigestWithPoll(parts, nil, calendar)
}

// DigestWithPoll is Digest of parts that carry a poll: its options, duration
// and flags follow the parts. A nil poll adds nothing, so a post without
// one keeps the digest it always had.
func DigestWithPoll(parts []networks.Part, poll *networks.Poll, calendar fs.FS) (string, error) {
	h := sha256.New()
	io.WriteString(h, "herald digest v1\n")
	writeUint(h, uint64(len(parts)))
	for _, p := range parts {
		writeString(h, p.Text)
		writeUint(h, uint64(len(p.Media)))
		for _, m := range p.Media {
			sum, err := fileSum(calendar, m.Path)
			if err != nil {
				return "", err
			}
			h.Write(sum)
			writeString(h, m.Alt)
		}
	}
	if poll != nil {
		writeString(h, "poll")
		writeUint(h, uint64(len(poll.Options)))
		for _, o := range poll.Options {
			writeString(h, o)
		}
		writeUint(h, uint64(poll.ExpiresIn/time.Second))
		writeUint(h, boolUint(poll.Multiple)<<1|boolUint(poll.HideTotals))
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// IdempotencyKey returns the key that a publication is sent with: the same
// for the same post, account and content, on every run and every machine;
// another when the content changes. "herald-" and 32 hex digits (128 bits
// of SHA-256), which every network that takes a key accepts.
func IdempotencyKey(postID, account, digest string) string {
	sum := sha256.Sum256([]byte(postID + "\x00" + account + "\x00" + digest))
	return "herald-" + hex.EncodeToString(sum[:16])
}

// FileSummer is a calendar that knows the SHA-256 of its files, so that
// Digest does not read a file again: check, which digests every published
// post, hashes each medium once per run.
type FileSummer interface {
	fs.FS
	// FileSum returns the SHA-256 of the file's content.
	FileSum(name string) ([]byte, error)
}

func fileSum(calendar fs.FS, name string) ([]byte, error) {
	if s, ok := calendar.(FileSummer); ok {
		return s.FileSum(name)
	}
	return FileSHA256(calendar, name)
}

// FileSHA256 returns the SHA-256 of a file of the calendar, as Digest
// counts it.
func FileSHA256(calendar fs.FS, name string) ([]byte, error) {
	f, err := calendar.Open(name)
	if err != nil {
		return nil, fmt.Errorf("digest of medium: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, fmt.Errorf("digest of medium %s: %w", name, err)
	}
	return h.Sum(nil), nil
}

func writeUint(h hash.Hash, n uint64) {
	h.Write(binary.AppendUvarint(nil, n))
}

func writeString(h hash.Hash, s string) {
	writeUint(h, uint64(len(s)))
	io.WriteString(h, s)
}

func boolUint(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
