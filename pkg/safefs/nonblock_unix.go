//go:build unix

package safefs

import "syscall"

const nonBlock = syscall.O_NONBLOCK
