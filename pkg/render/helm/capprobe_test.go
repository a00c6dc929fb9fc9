package helm

import (
	"fmt"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

// A probe read back from a worker is untrusted: one holding more than
// maxObservations gives every minor its own key instead of comparing them
// all.
func TestKeysOfOversizedProbe(t *testing.T) {
	vs := []kubeversion.Version{kubeversion.MustParse("1.30"), kubeversion.MustParse("1.31")}
	small := &CapProbe{Kube: true, Constraints: []string{">=1.40.0-0"}}
	if k := small.Keys(vs, nil); k[0] != k[1] {
		t.Fatalf("a constraint outside the range splits the minors: %q", k)
	}
	big := &CapProbe{Kube: true}
	for i := range maxObservations + 1 {
		big.Constraints = append(big.Constraints, fmt.Sprintf(">=1.%d.0-0", 40+i))
	}
	if k := big.Keys(vs, nil); k[0] == k[1] {
		t.Fatalf("an oversized probe groups minors: %q", k)
	}
}
