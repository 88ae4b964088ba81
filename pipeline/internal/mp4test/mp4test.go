// Package mp4test builds MP4 files for tests: the boxes Herald reads of a
// video (media.ReadMP4), around media data that is not a picture.
package mp4test

import (
	"bytes"
	"encoding/binary"
	"time"
)

// Box is an ISO BMFF box: a 32-bit size, its type, its payload.
func Box(typ string, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return append(append(b, typ...), body...)
}

// LargeBox is a box whose size is given in 64 bits (size 1).
func LargeBox(typ string, payload []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, 1)
	b = append(b, typ...)
	b = binary.BigEndian.AppendUint64(b, uint64(16+len(payload)))
	return append(b, payload...)
}

// Mvhd is a movie header of the version with that duration.
func Mvhd(version byte, timescale uint32, units uint64) []byte {
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
	return Box("mvhd", p, make([]byte, 80))
}

// Tkhd is a track header of the version with that size (pixels), its
// matrix turning the picture a quarter when rotate.
func Tkhd(version byte, width, height float64, rotate bool) []byte {
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
	return Box("tkhd", p)
}

// MP4 is an MP4 file as encoders write it with faststart: ftyp, moov
// (movie header, a sound track, a picture track), then the media data.
func MP4(width, height int, d time.Duration) []byte {
	return bytes.Join([][]byte{
		Box("ftyp", []byte("isom\x00\x00\x02\x00isomiso2avc1mp41")),
		Box("moov",
			Mvhd(0, 1000, uint64(d/time.Millisecond)),
			Box("trak", Tkhd(0, 0, 0, false), Box("mdia")),
			Box("trak", Tkhd(0, float64(width), float64(height), false), Box("mdia")),
		),
		Box("mdat", bytes.Repeat([]byte{0x42}, 64)),
	}, nil)
}
