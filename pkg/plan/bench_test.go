package plan_test

import (
	"context"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/testcorpus"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/plan"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/scan"
)

// The plan's cost against one scan of the same tree, side by side (the
// issue asks for a 12-hop plan at most 2.5× one scan; see
// docs/benchmarks.md for the figures).
func benchOpts(b *testing.B) scan.Options {
	return scan.Options{
		Current: kubeversion.MustParse("1.25"), Target: kubeversion.MustParse("1.37"),
		FailOn: model.SeverityError, Render: render.Options{Paths: []string{testcorpus.Dir(b)}},
	}
}

func BenchmarkOneScanCorpus(b *testing.B) {
	o := benchOpts(b)
	o.Current = kubeversion.Version{}
	for b.Loop() {
		if _, err := scan.Run(context.Background(), o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPlan12HopsCorpus(b *testing.B) {
	o := benchOpts(b)
	for b.Loop() {
		if _, err := plan.Run(context.Background(), o, false); err != nil {
			b.Fatal(err)
		}
	}
}
