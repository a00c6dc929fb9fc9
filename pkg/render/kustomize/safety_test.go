package kustomize

import "testing"

func TestCheckYAMLExpansion(t *testing.T) {
	for _, tt := range []struct {
		in   string
		line int
	}{
		{"a: 1\nb: [x, y]\n", 0},
		{"a: &a {x: 1}\nb: *a\nc: {<<: *a}\n", 0},
		{"hosts: ['*.example.com']\n", 0},
		{"a: &a\n  b: *a\n", 2},
		{"x: 1\n---\ny: &y [[*y]]\n", 3},
	} {
		r := checkYAMLExpansion([]byte(tt.in))
		if got := 0; r != nil {
			got = r.line
			if got != tt.line {
				t.Errorf("%q: refused at line %d (%s), want %d", tt.in, got, r.reason, tt.line)
			}
		} else if tt.line != 0 {
			t.Errorf("%q: accepted, want refused at line %d", tt.in, tt.line)
		}
	}
}
