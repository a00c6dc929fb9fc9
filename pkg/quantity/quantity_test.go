package quantity

import (
	"strings"
	"testing"
	"time"
)

func TestParseRejectsAbsurdValuesQuickly(t *testing.T) {
	for s, want := range map[string]string{
		"1e-999999999":                       "exponent -999999999 is out of range (at most ±30)",
		"1e999999999":                        "exponent 999999999 is out of range",
		"1E+31":                              "exponent +31 is out of range",
		"-2.5e-31":                           "exponent -31 is out of range",
		"1e99999999999999999999":             "exponent 99999999999999999999 is out of range",
		"1" + strings.Repeat("0", 64):        "quantity is 65 characters long, more than 64",
		"0." + strings.Repeat("0", 70) + "1": "quantity is 73 characters long",
	} {
		done := make(chan error, 1)
		go func() { _, err := Parse(s); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("Parse(%.20q) = %v, want %q", s, err, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Parse(%.20q) did not return", s)
		}
	}
}

func TestParseKeepsRealQuantities(t *testing.T) {
	for s, milli := range map[string]int64{
		"100m": 100, "1": 1000, "1.5Gi": 1536 << 20 * 1000, "2k": 2_000_000, "1e3": 1_000_000, "1e-3": 1,
		"+1": 1000, "1Ki": 1024_000, "1E-2": 10,
	} {
		q, err := Parse(s)
		if err != nil || q.MilliValue() != milli {
			t.Errorf("Parse(%q) = %d, %v; want %d", s, q.MilliValue(), err, milli)
		}
	}
	// At the limits: accepted, and quick.
	for _, s := range []string{"5e30", "1e-30", "2E", strings.Repeat("9", 64)} {
		if _, err := Parse(s); err != nil {
			t.Errorf("Parse(%q): %v", s, err)
		}
	}
	for _, s := range []string{"", "1.5.5", "100 m", "{{ .Values.cpu }}", "1e"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q): no error", s)
		}
	}
}
