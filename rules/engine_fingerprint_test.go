package rules

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// A finding named by absolute path has the fingerprint of the same finding
// named relative to the working directory, so baselines do not depend on
// where the checkout lives.
func TestFingerprintIgnoresWhereTheCheckoutLives(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel := model.Finding{Rule: "removed-api", File: "../testdata/base/ingress.yaml", Origin: "../testdata/overlays/prod", Kind: "Ingress", Name: "shop"}
	abs := rel
	abs.File = filepath.Join(wd, "..", "testdata", "base", "ingress.yaml")
	abs.Origin = filepath.Join(wd, "..", "testdata", "overlays", "prod")
	if Fingerprint(rel, "") != Fingerprint(abs, "") {
		t.Error("absolute and relative paths of one file give different fingerprints")
	}
	other := rel
	other.File = "../testdata/base/other.yaml"
	if Fingerprint(rel, "") == Fingerprint(other, "") {
		t.Error("control: different files give the same fingerprint")
	}
}
