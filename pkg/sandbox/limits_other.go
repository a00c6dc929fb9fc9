//go:build !linux

package sandbox

import (
	"errors"
	"syscall"
)

func limitAddressSpace(int64) {}

func restrictSyscalls() error { return errors.New("seccomp is Linux-only") }

// workerAttr: namespaces and the parent-death signal are Linux features.
func workerAttr(bool) *syscall.SysProcAttr { return &syscall.SysProcAttr{} }
