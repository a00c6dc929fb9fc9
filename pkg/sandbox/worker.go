package sandbox

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"time"
)

// The protocol runs over two pipes the parent passes as fds 3 and 4, so
// that a library printing to stdout cannot corrupt it.
const (
	fdRequests  = 3
	fdResponses = 4
	maxFrame    = 1 << 30
)

// serve is a worker's whole life: apply the limits, then answer requests
// until the parent closes the request pipe.
func serve() int {
	budget, _ := strconv.ParseInt(os.Getenv(envMemory), 10, 64)
	if budget <= 0 {
		budget = DefaultLimits.Memory
	}
	// Rendering allocates heavily and briefly: collect lazily (as the CLI
	// does) but harder near the budget, so garbage does not count against it.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	debug.SetMemoryLimit(budget * 3 / 4)
	// A deep recursion fails fast instead of growing a 1 GB stack.
	debug.SetMaxStack(int(min(256<<20, budget/4)))
	limitAddressSpace(budget)
	if err := restrictSyscalls(); err != nil {
		fmt.Fprintf(os.Stderr, "sandbox: seccomp not applied: %v\n", err)
	}
	go watchMemory(budget)

	in := bufio.NewReader(os.NewFile(fdRequests, "requests"))
	out := bufio.NewWriter(os.NewFile(fdResponses, "responses"))
	for {
		name, req, err := readFrame(in)
		if errors.Is(err, io.EOF) {
			return 0
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "sandbox: bad request: %v\n", err)
			return 2
		}
		resp, herr := call(name, req)
		status := "ok"
		if herr != nil {
			status, resp = "error", []byte(herr.Error())
		}
		if err := writeFrame(out, status, resp); err != nil {
			return 2
		}
		if err := out.Flush(); err != nil {
			return 2
		}
	}
}

func call(name string, req []byte) (resp []byte, err error) {
	h := handler(name)
	if h == nil {
		return nil, fmt.Errorf("no handler %q", name)
	}
	defer func() {
		if r := recover(); r != nil {
			resp, err = nil, fmt.Errorf("handler %s panicked: %v", name, r)
		}
	}()
	return h(context.Background(), req)
}

// watchMemory ends the worker when its resident set passes the budget.
// The parent reads the exit code as "over the memory budget".
func watchMemory(budget int64) {
	page := int64(os.Getpagesize())
	buf := make([]byte, 128)
	f, err := os.Open("/proc/self/statm")
	if err != nil {
		return
	}
	for range time.Tick(10 * time.Millisecond) {
		n, err := f.ReadAt(buf, 0)
		if err != nil && err != io.EOF {
			return
		}
		// statm: size resident shared ... (in pages)
		var size, resident int64
		if _, err := fmt.Sscan(string(buf[:n]), &size, &resident); err != nil {
			return
		}
		if resident*page > budget {
			fmt.Fprintf(os.Stderr, "sandbox: resident memory %d bytes is over the budget of %d\n", resident*page, budget)
			os.Exit(exitMemory)
		}
	}
}

// Frames: a length-prefixed name, then a length-prefixed body.
func writeFrame(w io.Writer, name string, body []byte) error {
	var hdr [8]byte
	putUint32(hdr[:4], uint32(len(name)))
	putUint32(hdr[4:], uint32(len(body)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	if _, err := io.WriteString(w, name); err != nil {
		return err
	}
	_, err := w.Write(body)
	return err
}

func readFrame(r io.Reader) (string, []byte, error) {
	var hdr [8]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return "", nil, err
	}
	nl, bl := getUint32(hdr[:4]), getUint32(hdr[4:])
	if nl > 1<<10 {
		return "", nil, fmt.Errorf("frame name of %d bytes", nl)
	}
	// A worker renders untrusted input: its answer is never trusted to
	// size an allocation beyond what a render within budget can produce.
	if bl > maxFrame {
		return "", nil, fmt.Errorf("frame of %d bytes, over the %d-byte limit", bl, maxFrame)
	}
	buf := make([]byte, int(nl)+int(bl))
	if _, err := io.ReadFull(r, buf); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return "", nil, err
	}
	return string(buf[:nl]), buf[nl:], nil
}

func putUint32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
}

func getUint32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}
