package media

import (
	"encoding/binary"
	"io"
	"math"
	"time"
)

// VideoInfo is what Herald reads of a video file: its display size and
// its duration, zero where the file does not say. Publishers send the
// size (Bluesky's aspect ratio); check and publishers both hold the
// duration against a network's MaxVideoDuration.
type VideoInfo struct {
	Width, Height int
	Duration      time.Duration
}

// maxMoov bounds the movie box ReadMP4 reads: a movie box holds the
// tables of every sample, a few megabytes for hours of video; more is a
// broken or hostile file, read as one with no movie box.
const maxMoov = 64 << 20

// ReadMP4 is ParseMP4 on a file of size bytes read through r, reading
// only the box headers and the movie box: check looks at every video of
// a calendar, and a video is up to a gigabyte with its movie box at the
// end when it was not written with faststart.
func ReadMP4(r io.ReaderAt, size int64) (info VideoInfo, ok bool) {
	var header [16]byte
	for at := int64(0); at+8 <= size; {
		n, _ := r.ReadAt(header[:], at)
		if n < 8 {
			return VideoInfo{}, false
		}
		boxSize, headerSize := int64(binary.BigEndian.Uint32(header[:])), int64(8)
		switch boxSize {
		case 0: // the last box, to the end of the file
			boxSize = size - at
		case 1: // a 64-bit size follows the type
			if n < 16 {
				return VideoInfo{}, false
			}
			large := binary.BigEndian.Uint64(header[8:])
			if large > math.MaxInt64 {
				return VideoInfo{}, false
			}
			boxSize, headerSize = int64(large), 16
		}
		if boxSize < headerSize || boxSize > size-at {
			return VideoInfo{}, false
		}
		if string(header[4:8]) == "moov" {
			if boxSize > maxMoov {
				return VideoInfo{}, false
			}
			moov := make([]byte, boxSize)
			if _, err := r.ReadAt(moov, at); err != nil && err != io.EOF {
				return VideoInfo{}, false
			}
			return ParseMP4(moov)
		}
		at += boxSize
	}
	return VideoInfo{}, false
}

// ParseMP4 reads the display size and the duration of an MP4 or QuickTime
// file (ISO base media file format, ISO/IEC 14496-12): the size from the
// header (tkhd) of the first track that has one, the video track, turned
// when its matrix rotates it a quarter (a phone's portrait video); the
// duration from the movie header (mvhd). ok is false when data holds no
// movie box (moov): another format, or a file cut short.
//
// Written by hand: the Go MP4 libraries (abema/go-mp4 and the like) parse
// every kind of box, and these two fields take a walk over box headers.
func ParseMP4(data []byte) (info VideoInfo, ok bool) {
	var moov []byte
	eachBox(data, func(typ string, payload []byte) bool {
		if typ == "moov" {
			moov, ok = payload, true
			return false
		}
		return true
	})
	eachBox(moov, func(typ string, payload []byte) bool {
		switch typ {
		case "mvhd":
			info.Duration = mvhdDuration(payload)
		case "trak":
			if info.Width == 0 {
				eachBox(payload, func(typ string, payload []byte) bool {
					if typ == "tkhd" {
						info.Width, info.Height = tkhdSize(payload)
						return false
					}
					return true
				})
			}
		}
		return true
	})
	return info, ok
}

// eachBox calls fn with the type and the payload of each box in data, in
// order, until fn returns false or a box's size does not fit.
func eachBox(data []byte, fn func(typ string, payload []byte) bool) {
	for len(data) >= 8 {
		size, header := uint64(binary.BigEndian.Uint32(data)), uint64(8)
		typ := string(data[4:8])
		switch size {
		case 0: // the last box, to the end of the file
			size = uint64(len(data))
		case 1: // a 64-bit size follows the type
			if len(data) < 16 {
				return
			}
			size, header = binary.BigEndian.Uint64(data[8:16]), 16
		}
		if size < header || size > uint64(len(data)) {
			return
		}
		if !fn(typ, data[header:size]) {
			return
		}
		data = data[size:]
	}
}

// mvhdDuration reads a movie header's duration, 0 when it is unknown (a
// fragmented file may leave it 0, or all ones).
func mvhdDuration(p []byte) time.Duration {
	var timescale, units uint64
	switch {
	case len(p) >= 20 && p[0] == 0: // version, flags, creation, modification: 4 bytes each
		timescale, units = uint64(binary.BigEndian.Uint32(p[12:])), uint64(binary.BigEndian.Uint32(p[16:]))
		if units == math.MaxUint32 {
			return 0
		}
	case len(p) >= 32 && p[0] == 1: // 64-bit creation, modification and duration
		timescale, units = uint64(binary.BigEndian.Uint32(p[20:])), binary.BigEndian.Uint64(p[24:])
		if units == math.MaxUint64 {
			return 0
		}
	default:
		return 0
	}
	if timescale == 0 {
		return 0
	}
	// A day at most: far past any limit, and no overflow of Duration.
	seconds := min(float64(units)/float64(timescale), 24*60*60)
	return time.Duration(seconds * float64(time.Second))
}

// tkhdSize reads a track header's width and height (16.16 fixed-point),
// swapped when its transformation matrix turns the picture a quarter
// (a = d = 0); 0, 0 for a track with no picture (audio).
func tkhdSize(p []byte) (width, height int) {
	// After version and flags: creation, modification, track id, a
	// reserved word and duration (4 bytes each, 8 for the times and the
	// duration in version 1), then 16 bytes (reserved, layer, alternate
	// group, volume, reserved), then the matrix (9 words), width, height.
	matrix := 4 + 20 + 16
	if len(p) > 0 && p[0] == 1 {
		matrix = 4 + 32 + 16
	}
	if len(p) < matrix+36+8 || p[0] > 1 {
		return 0, 0
	}
	fixed := func(at int) int { return int((uint64(binary.BigEndian.Uint32(p[at:])) + 0x8000) >> 16) }
	width, height = fixed(matrix+36), fixed(matrix+40)
	a, d := int32(binary.BigEndian.Uint32(p[matrix:])), int32(binary.BigEndian.Uint32(p[matrix+16:]))
	if a == 0 && d == 0 {
		width, height = height, width
	}
	return width, height
}
