package main

import (
	"strings"
	"testing"
)

// TestAPIsProjectedRemovals: the apis table marks alpha removals past the
// newest covered release as projections and leaves scheduled ones alone.
func TestAPIsProjectedRemovals(t *testing.T) {
	code, out, _ := runCLI(t, "", "apis", "--target-version", "1.36")
	if code != 0 {
		t.Fatalf("apis: %d %s", code, out)
	}
	var mapLine, rcLine string
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) < 3 {
			continue
		}
		switch f[1] + "/" + f[2] {
		case "admissionregistration.k8s.io/v1alpha1/MutatingAdmissionPolicy":
			mapLine = l
		case "resource.k8s.io/v1beta1/ResourceClaim":
			rcLine = l
		}
	}
	if !strings.Contains(mapLine, "1.38 (projected)") {
		t.Errorf("MutatingAdmissionPolicy v1alpha1 line %q lacks 1.38 (projected)", mapLine)
	}
	if !strings.Contains(rcLine, " 1.38 ") || strings.Contains(rcLine, "projected") {
		t.Errorf("ResourceClaim v1beta1 line %q should show a scheduled 1.38", rcLine)
	}
}
