package decode

import (
	"bytes"
	"fmt"

	"golang.org/x/text/encoding/unicode"
)

// ToUTF8 decodes manifests saved as UTF-16 (with a byte order mark, as some
// Windows editors write them) and drops a UTF-8 byte order mark. Line breaks
// are kept, so lines stay those of the file.
func ToUTF8(b []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return b[3:], nil
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil {
			return nil, fmt.Errorf("invalid UTF-16 text: %w", err)
		}
		return out, nil
	}
	return b, nil
}

// LooksBinary reports a NUL byte near the start: not a text manifest.
func LooksBinary(b []byte) bool {
	head := b
	if len(head) > 8000 {
		head = head[:8000]
	}
	return bytes.IndexByte(head, 0) >= 0
}
