package media

import (
	"bytes"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/internal/mp4test"
)

func TestReadMP4(t *testing.T) {
	ftyp := mp4test.Box("ftyp", []byte("qt  \x00\x00\x02\x00qt  "))
	tests := []struct {
		name string
		data []byte
		want VideoInfo
		ok   bool
	}{
		{"faststart", mp4test.MP4(1920, 1080, 150*time.Second), VideoInfo{1920, 1080, 150 * time.Second}, true},
		{"portrait from a phone: the matrix turns it", bytes.Join([][]byte{ftyp,
			mp4test.Box("moov", mp4test.Mvhd(0, 600, 600*12), mp4test.Box("trak", mp4test.Tkhd(0, 1920, 1080, true)))}, nil),
			VideoInfo{1080, 1920, 12 * time.Second}, true},
		{"version 1 headers, moov after a 64-bit mdat", bytes.Join([][]byte{ftyp,
			mp4test.LargeBox("mdat", make([]byte, 100)),
			mp4test.Box("moov", mp4test.Box("trak", mp4test.Tkhd(1, 1279.6, 720, false)), mp4test.Mvhd(1, 90000, 90000*181))}, nil),
			VideoInfo{1280, 720, 181 * time.Second}, true},
		{"a last box of size 0 runs to the end", append(ftyp, append([]byte{0, 0, 0, 0}, append([]byte("moov"),
			mp4test.Mvhd(0, 1000, 2500)...)...)...), VideoInfo{0, 0, 2500 * time.Millisecond}, true},
		{"duration unknown", bytes.Join([][]byte{ftyp, mp4test.Box("moov", mp4test.Mvhd(0, 1000, 0xFFFFFFFF))}, nil), VideoInfo{}, true},
		{"no timescale", bytes.Join([][]byte{ftyp, mp4test.Box("moov", mp4test.Mvhd(0, 0, 5))}, nil), VideoInfo{}, true},
		{"cut short in the moov", mp4test.MP4(640, 480, time.Second)[:60], VideoInfo{}, false},
		{"a box longer than the file", []byte("\x00\x00\x10\x00moov"), VideoInfo{}, false},
		{"a PNG", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x03\x00\x00\x00\x02\x08\x00\x00\x00\x00"), VideoInfo{}, false},
		{"empty", nil, VideoInfo{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseMP4(tt.data)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseMP4 = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
			// ReadMP4 reads the same from the file, headers and movie box alone.
			got, ok = ReadMP4(bytes.NewReader(tt.data), int64(len(tt.data)))
			if got != tt.want || ok != tt.ok {
				t.Errorf("ReadMP4 = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzReadMP4(f *testing.F) {
	f.Add(mp4test.MP4(1920, 1080, time.Minute))
	f.Add(mp4test.LargeBox("moov", mp4test.Mvhd(1, 1, 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		// No panic, whatever the bytes, and both readers agree.
		parsed, parsedOK := ParseMP4(data)
		read, readOK := ReadMP4(bytes.NewReader(data), int64(len(data)))
		if parsed != read || parsedOK != readOK {
			t.Errorf("ParseMP4 = %+v, %v; ReadMP4 = %+v, %v", parsed, parsedOK, read, readOK)
		}
	})
}
