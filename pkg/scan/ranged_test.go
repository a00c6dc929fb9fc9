package scan

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/testcorpus"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
)

// findingLines lists a report's findings as comparable lines, without
// stale-release-api: it needs the current version, which a scan for one
// minor does not have.
func findingLines(r *model.Report) []string {
	var out []string
	for _, f := range r.Findings {
		if f.Rule == "stale-release-api" {
			continue
		}
		out = append(out, fmt.Sprintf("%s %s:%d:%d %s/%s %s %s %s", f.Rule, f.File, f.Line, f.Column, f.Kind, f.Name, f.FieldPath, f.Fingerprint, f.Message))
	}
	sort.Strings(out)
	return out
}

// A ranged scan renders charts once per group of minors they tell apart;
// each minor's report must still be exactly what a scan for that minor
// gives.
func assertRangeEqualsPerMinor(t *testing.T, paths []string, current, target string) {
	t.Helper()
	opts := Options{Current: kubeversion.MustParse(current), Target: kubeversion.MustParse(target), Render: render.Options{Paths: paths}}
	rg, err := RunRange(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for v := opts.Current; !opts.Target.Less(v); v = v.Next() {
		one := opts
		one.Current, one.Target = kubeversion.Version{}, v
		want, err := Run(context.Background(), one)
		if err != nil {
			t.Fatal(err)
		}
		got := rg.Reports[i]
		i++
		w, g := findingLines(want), findingLines(got)
		if strings.Join(w, "\n") != strings.Join(g, "\n") {
			t.Errorf("%s: ranged scan differs from a scan for %s", strings.Join(paths, ","), v)
			diff(t, w, g)
		}
		if got.Summary.Objects != want.Summary.Objects {
			t.Errorf("%s: %d objects, scan for it %d", v, got.Summary.Objects, want.Summary.Objects)
		}
	}
	if i != len(rg.Reports) {
		t.Errorf("%d reports for %d minors", len(rg.Reports), i)
	}
}

func diff(t *testing.T, want, got []string) {
	t.Helper()
	in := map[string]int{}
	for _, s := range want {
		in[s]++
	}
	for _, s := range got {
		in[s]--
	}
	n := 0
	for s, c := range in {
		if c != 0 && n < 10 {
			t.Logf("  %+d %s", -c, s)
			n++
		}
	}
}

func TestRangeEqualsPerMinorScans(t *testing.T) {
	assertRangeEqualsPerMinor(t, []string{filepath.Join("..", "..", "testdata", "plan", "repo"), filepath.Join("..", "render", "testdata", "capprobe")}, "1.25", "1.33")
}

// The same on the real charts of the shared corpus (skipped without it).
func TestRangeEqualsPerMinorScansOnCorpusCharts(t *testing.T) {
	if testing.Short() {
		t.Skip("renders the corpus charts five times")
	}
	dir := filepath.Join(testcorpus.Dir(t), "helm", "current")
	assertRangeEqualsPerMinor(t, []string{dir}, "1.29", "1.33")
}
