package sandbox

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// hogged keeps what the hog handler allocates reachable.
var hogged [][]byte

func TestMain(m *testing.M) {
	Register("echo", func(_ context.Context, req []byte) ([]byte, error) {
		return append([]byte("echo:"), req...), nil
	})
	Register("fail", func(context.Context, []byte) ([]byte, error) { return nil, errors.New("handler said no") })
	Register("panic", func(context.Context, []byte) ([]byte, error) { panic("boom") })
	Register("hog", func(context.Context, []byte) ([]byte, error) {
		for {
			b := make([]byte, 16<<20)
			for i := range b {
				b[i] = 1
			}
			hogged = append(hogged, b)
		}
	})
	Register("huge", func(_ context.Context, req []byte) ([]byte, error) {
		// One allocation far over the budget: the address-space limit
		// refuses it before the watchdog could see it.
		b := make([]byte, 64<<30)
		b[len(b)-1] = 1
		return b[:1], nil
	})
	Register("spin", func(context.Context, []byte) ([]byte, error) {
		for {
			time.Sleep(time.Millisecond)
		}
	})
	Register("recurse", func(context.Context, []byte) ([]byte, error) {
		var f func(int) int
		f = func(n int) int { return f(n+1) + 1 }
		return []byte{byte(f(0))}, nil
	})
	Register("exec", func(context.Context, []byte) ([]byte, error) {
		err := exec.Command("/bin/true").Run()
		return []byte(errString(err)), nil
	})
	Register("dial", func(context.Context, []byte) ([]byte, error) {
		_, err := net.DialTimeout("tcp", "127.0.0.1:9", time.Second)
		return []byte(errString(err)), nil
	})
	Register("env", func(context.Context, []byte) ([]byte, error) {
		b, err := os.ReadFile("/proc/self/environ")
		if err != nil {
			return nil, err
		}
		return b, nil
	})
	Main()
	os.Exit(m.Run())
}

func errString(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

func TestCallAndReuse(t *testing.T) {
	p := NewPool(Limits{Timeout: 20 * time.Second})
	defer p.Close()
	for i := 0; i < 3; i++ {
		got, err := p.Call(context.Background(), "echo", []byte("hi"))
		if err != nil || string(got) != "echo:hi" {
			t.Fatalf("call %d: %q, %v", i, got, err)
		}
	}
	if n := len(p.idle); n != 1 {
		t.Errorf("%d idle workers after sequential calls, want 1 reused", n)
	}
	if _, err := p.Call(context.Background(), "fail", nil); err == nil || err.Error() != "handler said no" {
		t.Errorf("handler error: %v", err)
	}
	if _, err := p.Call(context.Background(), "panic", nil); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("panicking handler: %v", err)
	}
	// The worker survives a handler's panic.
	if got, err := p.Call(context.Background(), "echo", []byte("again")); err != nil || string(got) != "echo:again" {
		t.Errorf("after panic: %q, %v", got, err)
	}
}

func TestBudgets(t *testing.T) {
	p := NewPool(Limits{Memory: 256 << 20, Timeout: 2 * time.Second})
	defer p.Close()
	cases := []struct {
		handler, want string
	}{
		{"hog", "exceeded the memory budget of 256 MiB"},
		{"huge", "exceeded the memory budget of 256 MiB"},
		{"spin", "exceeded the time budget of 2s"},
		{"recurse", "stack overflow"},
	}
	for _, c := range cases {
		t.Run(c.handler, func(t *testing.T) {
			start := time.Now()
			_, err := p.Call(context.Background(), c.handler, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			if d := time.Since(start); d > 30*time.Second {
				t.Errorf("took %v", d)
			}
			// The pool goes on with a fresh worker.
			if got, err := p.Call(context.Background(), "echo", []byte("x")); err != nil || string(got) != "echo:x" {
				t.Errorf("after %s: %q, %v", c.handler, got, err)
			}
		})
	}
}

func TestWorkerCannotExecOrConnect(t *testing.T) {
	p := NewPool(Limits{Timeout: 20 * time.Second})
	defer p.Close()
	for _, h := range []string{"exec", "dial"} {
		got, err := p.Call(context.Background(), h, nil)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) == "ok" || !strings.Contains(string(got), "operation not permitted") {
			t.Errorf("%s in a worker: %q, want operation not permitted", h, got)
		}
	}
	// Control: the same calls work outside the sandbox, so the test can fail.
	if err := exec.Command("/bin/true").Run(); err != nil {
		t.Skipf("no /bin/true here: %v", err)
	}
}

func TestWorkerEnvironmentHoldsNoSecrets(t *testing.T) {
	t.Setenv("KUPGRADE_TEST_SECRET", "s3cr3t-token")
	p := NewPool(Limits{Timeout: 20 * time.Second})
	defer p.Close()
	got, err := p.Call(context.Background(), "env", nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(got), "s3cr3t") {
		t.Errorf("worker environment leaks the caller's: %q", got)
	}
	if !strings.Contains(string(got), "PATH=/nonexistent") {
		t.Errorf("worker environment %q: want an empty PATH", got)
	}
	if !strings.Contains(strings.Join(os.Environ(), "\n"), "s3cr3t") {
		t.Error("control: the secret is not in the test's own environment")
	}
}

func TestCancel(t *testing.T) {
	p := NewPool(Limits{Timeout: time.Minute})
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := p.Call(ctx, "spin", nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled call: %v", err)
	}
}

// A frame that announces more than the limit is refused before anything is
// allocated for it.
func TestReadFrameRefusesHugeFrames(t *testing.T) {
	hdr := []byte{0, 0, 0, 2, 0xff, 0xff, 0xff, 0xff}
	if _, _, err := readFrame(strings.NewReader(string(hdr) + "ok")); err == nil || !strings.Contains(err.Error(), "over the") {
		t.Errorf("huge frame: %v", err)
	}
	var buf strings.Builder
	if err := writeFrame(&buf, "ok", []byte("body")); err != nil {
		t.Fatal(err)
	}
	if name, body, err := readFrame(strings.NewReader(buf.String())); err != nil || name != "ok" || string(body) != "body" {
		t.Errorf("control: %q %q %v", name, body, err)
	}
}
