//go:build unix

package render

import "syscall"

// noFollow makes open fail on a symlink (0: the platform has no such flag,
// and files are resolved again where they are read).
const noFollow = syscall.O_NOFOLLOW
