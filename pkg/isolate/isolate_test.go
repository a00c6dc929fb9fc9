package isolate

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"os"
	"testing"
)

// Scan refuses HTTP and mutes os.Stderr until restored; the log package
// stays discarded. (It changes process-wide state: this package's tests
// are the only ones in its binary.)
func TestScanRefusesNetworkAndMutesStderr(t *testing.T) {
	saved := os.Stderr
	restore := Scan(false)
	if os.Stderr == saved {
		t.Error("os.Stderr was not replaced")
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, "http://127.0.0.1:1/", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if resp != nil {
		_ = resp.Body.Close()
	}
	if !errors.Is(err, ErrNetworkDisabled) {
		t.Errorf("GET: %v, want ErrNetworkDisabled", err)
	}
	if log.Writer() != io.Discard {
		t.Error("the log package still writes")
	}
	restore()
	if os.Stderr != saved {
		t.Error("restore did not put os.Stderr back")
	}
}
