// Package safefs reads files of a tree that may be hostile (a pull
// request): regular files only, never more than a limit, and never through
// a symlink that leaves the tree. A committed symlink to /dev/zero or
// /proc/self/environ, or a FIFO, is then an error with its path instead of
// a hang or a leak.
package safefs

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Error says why a path was not read. Reason never quotes the content.
type Error struct {
	Path   string
	Reason string
	Err    error // ErrNotRegular, ErrTooLarge, ErrOutside or an fs error
}

// Error is the reason alone: callers name the path as their users know it.
func (e *Error) Error() string { return e.Reason }
func (e *Error) Unwrap() error { return e.Err }

var (
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("file too large")
	ErrOutside    = errors.New("outside the scanned tree")
)

// ReadFile reads a regular file of at most limit bytes (limit <= 0: no
// limit). It opens without blocking, so a FIFO fails instead of waiting
// for a writer, and checks the opened file, not the name.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|nonBlock, 0)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // read-only
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &Error{Path: path, Reason: fmt.Sprintf("is not a regular file (%s)", Describe(st.Mode())), Err: ErrNotRegular}
	}
	if limit > 0 && st.Size() > limit {
		return nil, &Error{Path: path, Reason: fmt.Sprintf("is %d bytes, larger than the %d-byte limit", st.Size(), limit), Err: ErrTooLarge}
	}
	r := io.Reader(f)
	if limit > 0 {
		// Files whose size the kernel does not report (procfs) still stop.
		r = io.LimitReader(f, limit+1)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if limit > 0 && int64(len(b)) > limit {
		return nil, &Error{Path: path, Reason: fmt.Sprintf("is larger than the %d-byte limit", limit), Err: ErrTooLarge}
	}
	return b, nil
}

// ReadIn is ReadFile for a path that must resolve inside root.
func ReadIn(root, path string, limit int64) ([]byte, error) {
	real, err := Resolve(root, path)
	if err != nil {
		return nil, err
	}
	return ReadFile(real, limit)
}

// Resolve follows the symlinks of path and returns the real path when it
// lies inside root (itself resolved); otherwise an *Error with ErrOutside.
// The target is never named in the error: it may be a secret's path.
func Resolve(root, path string) (string, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return "", err
	}
	realRoot, err := filepath.EvalSymlinks(absRoot)
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", err
	}
	if !Within(realRoot, real) {
		return "", &Error{Path: path, Reason: "resolves outside the scanned tree (a symlink leaving it); not read", Err: ErrOutside}
	}
	return real, nil
}

// Within reports whether p is root or below it (both absolute and clean).
func Within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	if err != nil || filepath.IsAbs(rel) {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// Describe names a file type for messages ("a named pipe (FIFO)").
func Describe(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a directory"
	}
	return "not a regular file or directory"
}
