package sandbox

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Pool hands calls to worker processes, starting them on demand and
// keeping idle ones for the next call. The caller bounds concurrency.
type Pool struct {
	limits Limits
	mu     sync.Mutex
	idle   []*worker
	closed bool
	// noNamespaces is set once the kernel refused new namespaces, so later
	// workers start without asking again.
	noNamespaces atomic.Bool
}

// NewPool returns a pool whose calls get the given budgets (zero fields
// take DefaultLimits).
func NewPool(l Limits) *Pool {
	if l.Memory <= 0 {
		l.Memory = DefaultLimits.Memory
	}
	if l.Timeout <= 0 {
		l.Timeout = DefaultLimits.Timeout
	}
	return &Pool{limits: l}
}

type worker struct {
	cmd    *exec.Cmd
	in     *os.File
	inBuf  *bufio.Writer
	out    *os.File
	outBuf *bufio.Reader
	stderr *tail
	done   chan struct{}
}

// Call runs the named handler on req in a worker. A worker that runs out
// of time is killed; one that dies is replaced by the next call.
func (p *Pool) Call(ctx context.Context, name string, req []byte) ([]byte, error) {
	w, err := p.get()
	if err != nil {
		return nil, err
	}
	type result struct {
		status string
		body   []byte
		err    error
	}
	ch := make(chan result, 1)
	go func() {
		if err := writeFrame(w.inBuf, name, req); err != nil {
			ch <- result{err: err}
			return
		}
		if err := w.inBuf.Flush(); err != nil {
			ch <- result{err: err}
			return
		}
		status, body, err := readFrame(w.outBuf)
		ch <- result{status, body, err}
	}()
	timer := time.NewTimer(p.limits.Timeout)
	defer timer.Stop()
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, w.death()
		}
		p.put(w)
		if r.status != "ok" {
			return nil, errors.New(string(r.body))
		}
		return r.body, nil
	case <-timer.C:
		w.kill()
		return nil, &BudgetError{Resource: "time", Limit: p.limits.Timeout.String()}
	case <-ctx.Done():
		w.kill()
		return nil, ctx.Err()
	}
}

// Close ends every idle worker.
func (p *Pool) Close() {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	for _, w := range idle {
		// EOF on the request pipe ends the worker's loop.
		_ = w.in.Close()
		<-w.done
		_ = w.out.Close()
	}
}

func (p *Pool) get() (*worker, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		w := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return w, nil
	}
	closed := p.closed
	p.mu.Unlock()
	if closed {
		return nil, errors.New("sandbox pool is closed")
	}
	return p.start()
}

func (p *Pool) put(w *worker) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		go w.kill()
		return
	}
	p.idle = append(p.idle, w)
}

func (p *Pool) start() (*worker, error) {
	if !Available() {
		return nil, ErrUnavailable
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	w, err := p.spawn(exe, !p.noNamespaces.Load())
	if err != nil && !p.noNamespaces.Load() {
		// Unprivileged user namespaces are off on some kernels; the seccomp
		// filter and the empty PATH still hold without them.
		p.noNamespaces.Store(true)
		w, err = p.spawn(exe, false)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return w, nil
}

func (p *Pool) spawn(exe string, namespaces bool) (*worker, error) {
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	respR, respW, err := os.Pipe()
	if err != nil {
		_ = reqR.Close()
		_ = reqW.Close()
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = workerEnv(p.limits.Memory)
	cmd.ExtraFiles = []*os.File{reqR, respW}
	st := &tail{}
	cmd.Stderr = st
	cmd.SysProcAttr = workerAttr(namespaces)
	err = cmd.Start()
	_ = reqR.Close()
	_ = respW.Close()
	if err != nil {
		_ = reqW.Close()
		_ = respR.Close()
		return nil, err
	}
	w := &worker{cmd: cmd, in: reqW, inBuf: bufio.NewWriterSize(reqW, 64<<10), out: respR, outBuf: bufio.NewReaderSize(respR, 64<<10), stderr: st, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(w.done)
	}()
	return w, nil
}

// workerEnv is all a worker sees of the environment: nothing of the
// caller's (CI tokens stay out of reach of anything a template reads),
// and a PATH that finds no program.
func workerEnv(memory int64) []string {
	env := []string{
		envWorker + "=1",
		envMemory + "=" + strconv.FormatInt(memory, 10),
		"PATH=/nonexistent",
		"HOME=/nonexistent",
		"LANG=C.UTF-8",
	}
	// Coverage and scheduler settings are the tool's own, not secrets.
	for _, k := range []string{"GOCOVERDIR", "GOMAXPROCS", "GOGC"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

func (w *worker) kill() {
	_ = w.cmd.Process.Kill()
	<-w.done
	_ = w.in.Close()
	_ = w.out.Close()
}

// death waits for a worker that stopped answering and says why it died.
// Its stderr is classified, never quoted: a crash dump may hold rendered
// content.
func (w *worker) death() error {
	select {
	case <-w.done:
	case <-time.After(5 * time.Second):
		_ = w.cmd.Process.Kill()
		<-w.done
	}
	_ = w.in.Close()
	_ = w.out.Close()
	state := w.cmd.ProcessState
	text := w.stderr.String()
	switch {
	case state != nil && state.ExitCode() == exitMemory,
		strings.Contains(text, "out of memory"), strings.Contains(text, "cannot allocate memory"):
		budget, _ := strconv.ParseInt(envValue(w.cmd.Env, envMemory), 10, 64)
		return &BudgetError{Resource: "memory", Limit: FormatBytes(budget)}
	case strings.Contains(text, "stack exceeds") || strings.Contains(text, "stack overflow"):
		return &CrashError{Reason: "stack overflow (input nested or recursing too deeply)"}
	case strings.Contains(text, "panic:") || strings.Contains(text, "fatal error:"):
		return &CrashError{Reason: "a fatal runtime error in the rendering library"}
	case state != nil && !state.Exited():
		if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signal() == syscall.SIGKILL {
			// Only the pool kills on purpose, and it does not ask why.
			return &CrashError{Reason: "killed by the system (SIGKILL; usually the out-of-memory killer of a memory-capped job: lower --render-memory)"}
		}
		return &CrashError{Reason: "killed by " + state.String()}
	case state != nil:
		return &CrashError{Reason: fmt.Sprintf("exit status %d", state.ExitCode())}
	}
	return &CrashError{Reason: "unknown"}
}

func envValue(env []string, key string) string {
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, key+"="); ok {
			return v
		}
	}
	return ""
}

// tail keeps the first and the last few KB a worker wrote to stderr: a
// Go crash names its cause first, then dumps every goroutine.
type tail struct {
	mu         sync.Mutex
	head, last []byte
}

const tailSize = 4 << 10

func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(b)
	if room := tailSize - len(t.head); room > 0 {
		k := min(room, len(b))
		t.head = append(t.head, b[:k]...)
		b = b[k:]
	}
	t.last = append(t.last, b...)
	if len(t.last) > tailSize {
		t.last = append(t.last[:0], t.last[len(t.last)-tailSize:]...)
	}
	return n, nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.head) + "\n" + string(t.last)
}
