//go:build !linux

package sandbox

import "errors"

func limitAddressSpace(int64) {}

func restrictSyscalls() error { return errors.New("seccomp is Linux-only") }
