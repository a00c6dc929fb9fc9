package main

import (
	"fmt"
	"testing"
)

func TestKSMMatrix(t *testing.T) {
	grid := "intro\n#### Compatibility matrix\n\ntext\n\n" +
		"| kube-state-metrics | **Kubernetes 1.19** | **Kubernetes 1.20** | **Kubernetes 1.21** |\n" +
		"|--------------------|:---:|:---:|:---:|\n" +
		"| **v2.1.1**         | ✓ | -/✓ | - |\n" +
		"| **v2.4.2**         | - | ✓ | ✓ |\n" +
		"| **master**         | ✓ | ✓ | ✓ |\n\n- `✓` Fully supported.\n\n#### Next\n| **v9.9.9** | ✓ |\n"
	rows, err := ksmMatrix(grid)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(rows); got != "[{2.1.1 [1.19 1.20] true} {2.4.2 [1.20 1.21] true}]" {
		t.Errorf("grid rows = %s", got)
	}
	cg := "#### Compatibility matrix\n\n| kube-state-metrics | Kubernetes client-go Version |\n|---|:---:|\n| **v2.19.0** | v1.35 |\n| **main** | v1.36 |\n"
	rows, err = ksmMatrix(cg)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(rows); got != "[{2.19.0 [1.35] false}]" {
		t.Errorf("client-go rows = %s", got)
	}
	if _, err := ksmMatrix("no table here"); err == nil {
		t.Error("missing section accepted")
	}
}

func TestPromopRows(t *testing.T) {
	doc := "## Kubernetes\n\nDue to CEL, prometheus-operator >= v0.84.0 requires Kubernetes >= v1.25.0 (or v1.23.0 with the `CustomResourceValidationExpressions` feature gate enabled).\n\nReleases before v0.84.0 require Kubernetes >= v1.16.0.\n"
	rows, err := promopRows(doc)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(rows); got != "[{>=0.84.0 minimum 1.25  [] :3  false 1.23 works with the CustomResourceValidationExpressions feature gate} {<0.84.0 minimum 1.16  [] :5  false }]" {
		t.Errorf("rows = %s", got)
	}
	if _, err := promopRows("nothing"); err == nil {
		t.Error("empty document accepted")
	}
}
