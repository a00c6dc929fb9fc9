package isolate

import (
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
	_, err := http.Get("http://127.0.0.1:1/")
	if !errors.Is(err, ErrNetworkDisabled) {
		t.Errorf("http.Get: %v, want ErrNetworkDisabled", err)
	}
	if log.Writer() != io.Discard {
		t.Error("the log package still writes")
	}
	restore()
	if os.Stderr != saved {
		t.Error("restore did not put os.Stderr back")
	}
}
