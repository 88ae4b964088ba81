package bluesky

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"
)

// box is an ISO BMFF box: a 32-bit size, its type, its payload.
func box(typ string, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return append(append(b, typ...), body...)
}

// largeBox is a box whose size is given in 64 bits (size 1).
func largeBox(typ string, payload []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, 1)
	b = append(b, typ...)
	b = binary.BigEndian.AppendUint64(b, uint64(16+len(payload)))
	return append(b, payload...)
}

// mvhd is a movie header of the version with that duration.
func mvhd(version byte, timescale uint32, units uint64) []byte {
	p := []byte{version, 0, 0, 0}
	if version == 0 {
		p = append(p, make([]byte, 8)...) // creation, modification
		p = binary.BigEndian.AppendUint32(p, timescale)
		p = binary.BigEndian.AppendUint32(p, uint32(units))
	} else {
		p = append(p, make([]byte, 16)...)
		p = binary.BigEndian.AppendUint32(p, timescale)
		p = binary.BigEndian.AppendUint64(p, units)
	}
	// rate, volume, reserved, matrix, pre_defined, next_track_ID
	return box("mvhd", p, make([]byte, 80))
}

// tkhd is a track header of the version with that size (pixels), its
// matrix turning the picture a quarter when rotate.
func tkhd(version byte, width, height float64, rotate bool) []byte {
	p := []byte{version, 0, 0, 7}
	if version == 0 {
		p = append(p, make([]byte, 20)...)
	} else {
		p = append(p, make([]byte, 32)...)
	}
	p = append(p, make([]byte, 16)...)
	matrix := []int32{1 << 16, 0, 0, 0, 1 << 16, 0, 0, 0, 1 << 30}
	if rotate {
		matrix = []int32{0, 1 << 16, 0, -1 << 16, 0, 0, 0, 0, 1 << 30}
	}
	for _, v := range matrix {
		p = binary.BigEndian.AppendUint32(p, uint32(v))
	}
	p = binary.BigEndian.AppendUint32(p, uint32(width*65536))
	p = binary.BigEndian.AppendUint32(p, uint32(height*65536))
	return box("tkhd", p)
}

// mp4Of is an MP4 file as encoders write it with faststart: ftyp, moov
// (movie header, a sound track, a picture track), then the media data.
func mp4Of(width, height int, d time.Duration) []byte {
	return bytes.Join([][]byte{
		box("ftyp", []byte("isom\x00\x00\x02\x00isomiso2avc1mp41")),
		box("moov",
			mvhd(0, 1000, uint64(d/time.Millisecond)),
			box("trak", tkhd(0, 0, 0, false), box("mdia")),
			box("trak", tkhd(0, float64(width), float64(height), false), box("mdia")),
		),
		box("mdat", bytes.Repeat([]byte{0x42}, 64)),
	}, nil)
}

func TestReadMP4(t *testing.T) {
	ftyp := box("ftyp", []byte("qt  \x00\x00\x02\x00qt  "))
	tests := []struct {
		name string
		data []byte
		want videoInfo
		ok   bool
	}{
		{"faststart", mp4Of(1920, 1080, 150*time.Second), videoInfo{1920, 1080, 150 * time.Second}, true},
		{"portrait from a phone: the matrix turns it", bytes.Join([][]byte{ftyp,
			box("moov", mvhd(0, 600, 600*12), box("trak", tkhd(0, 1920, 1080, true)))}, nil),
			videoInfo{1080, 1920, 12 * time.Second}, true},
		{"version 1 headers, moov after a 64-bit mdat", bytes.Join([][]byte{ftyp,
			largeBox("mdat", make([]byte, 100)),
			box("moov", box("trak", tkhd(1, 1279.6, 720, false)), mvhd(1, 90000, 90000*181))}, nil),
			videoInfo{1280, 720, 181 * time.Second}, true},
		{"a last box of size 0 runs to the end", append(ftyp, append([]byte{0, 0, 0, 0}, append([]byte("moov"),
			mvhd(0, 1000, 2500)...)...)...), videoInfo{0, 0, 2500 * time.Millisecond}, true},
		{"duration unknown", bytes.Join([][]byte{ftyp, box("moov", mvhd(0, 1000, 0xFFFFFFFF))}, nil), videoInfo{}, true},
		{"no timescale", bytes.Join([][]byte{ftyp, box("moov", mvhd(0, 0, 5))}, nil), videoInfo{}, true},
		{"cut short in the moov", mp4Of(640, 480, time.Second)[:60], videoInfo{}, false},
		{"a box longer than the file", []byte("\x00\x00\x10\x00moov"), videoInfo{}, false},
		{"a PNG", pngOf(t, 3, 2), videoInfo{}, false},
		{"empty", nil, videoInfo{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := readMP4(tt.data)
			if got != tt.want || ok != tt.ok {
				t.Errorf("readMP4 = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzReadMP4(f *testing.F) {
	f.Add(mp4Of(1920, 1080, time.Minute))
	f.Add(largeBox("moov", mvhd(1, 1, 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		readMP4(data) // no panic, whatever the bytes
	})
}
