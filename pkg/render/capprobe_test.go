package render

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// rangeRenders renders chart dir for every minor of current..target and
// returns, per render, the minors it stands for and what it rendered
// (apiVersion and data of each object).
func rangeRenders(t *testing.T, dir, current, target string, sandboxed bool) map[string]string {
	t.Helper()
	var vs []kubeversion.Version
	for v := kubeversion.MustParse(current); !kubeversion.MustParse(target).Less(v); v = v.Next() {
		vs = append(vs, v)
	}
	var mu sync.Mutex
	got := map[string]string{}
	_, err := Run(context.Background(), Options{
		Paths: []string{dir}, Target: vs[len(vs)-1], Range: vs,
		Sandbox: SandboxOptions{Disabled: !sandboxed},
		OnVariant: func(_ int, at []int, objs []*model.Object, probs []model.Problem) {
			var minors []string
			for _, j := range at {
				minors = append(minors, vs[j].String())
			}
			sort.Strings(minors)
			var out []string
			for _, o := range objs {
				out = append(out, fmt.Sprintf("%s %v %v", o.APIVersion, o.Data["data"], o.Annotations()))
			}
			for _, p := range probs {
				out = append(out, p.Rule+": "+p.Message)
			}
			mu.Lock()
			got[strings.Join(minors, ",")] = strings.Join(out, "; ")
			mu.Unlock()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestRangeRendersOncePerGroupOfMinors(t *testing.T) {
	dir := func(c string) string { return filepath.Join("testdata", "capprobe", c) }
	cases := []struct {
		chart, current, target string
		want                   map[string]string
	}{
		{"has", "1.25", "1.31", map[string]string{
			// Has(v1) then Has(v1beta3): three answers, three renders.
			"1.29,1.30,1.31": "flowcontrol.apiserver.k8s.io/v1 <nil> map[]",
			"1.26,1.27,1.28": "flowcontrol.apiserver.k8s.io/v1beta3 <nil> map[]",
			"1.25":           "flowcontrol.apiserver.k8s.io/v1beta2 <nil> map[]",
		}},
		{"kube", "1.27", "1.32", map[string]string{
			"1.30,1.31,1.32": "v1 map[mode:new] map[]",
			"1.27,1.28,1.29": "v1 map[mode:old] map[]",
		}},
		// The minor is compared with each integer of the templates three
		// ways (below, equal, above), so 31 itself renders apart.
		{"minor", "1.29", "1.33", map[string]string{
			"1.32,1.33": "v1 map[mode:new] map[]",
			"1.31":      "v1 map[mode:new] map[]",
			"1.29,1.30": "v1 map[mode:old] map[]",
		}},
		// The minor through sprig's semver object: the integer still splits.
		{"semverobj", "1.29", "1.33", map[string]string{
			"1.32,1.33": "v1 map[mode:new] map[]",
			"1.31":      "v1 map[mode:new] map[]",
			"1.29,1.30": "v1 map[mode:old] map[]",
		}},
		// Uses the capabilities whole: every minor on its own.
		{"whole", "1.30", "1.32", nil},
		// The same through tpl, from values.
		{"tplvalues", "1.30", "1.32", nil},
		// Prints the version: every minor on its own.
		{"printed", "1.30", "1.32", nil},
		// Bitnami's Helm version check reads no Kubernetes version.
		{"bitnami", "1.28", "1.33", map[string]string{
			"1.28,1.29,1.30,1.31,1.32,1.33": "v1 map[helm33:yes] map[]",
		}},
	}
	for _, c := range cases {
		t.Run(c.chart, func(t *testing.T) {
			got := rangeRenders(t, dir(c.chart), c.current, c.target, false)
			if c.want == nil {
				n := kubeversion.MustParse(c.target).Minor - kubeversion.MustParse(c.current).Minor + 1
				if len(got) != n {
					t.Fatalf("%d renders, want one per minor (%d): %v", len(got), n, got)
				}
				for k := range got {
					if strings.Contains(k, ",") {
						t.Errorf("render for %s stands for several minors", k)
					}
				}
				return
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("renders:\n got %v\nwant %v", got, c.want)
			}
		})
	}
}

// The probe crosses the sandbox: the same groups in worker processes.
func TestRangeRendersSandboxed(t *testing.T) {
	got := rangeRenders(t, filepath.Join("testdata", "capprobe", "has"), "1.25", "1.31", true)
	if len(got) != 3 || got["1.26,1.27,1.28"] != "flowcontrol.apiserver.k8s.io/v1beta3 <nil> map[]" {
		t.Errorf("sandboxed renders: %v", got)
	}
}

// A chart whose kubeVersion excludes part of the range renders on its own
// at each excluded minor, so the finding names it.
func TestRangeKubeVersionExcludedMinors(t *testing.T) {
	got := rangeRenders(t, filepath.Join("..", "..", "testdata", "plan", "repo", "charts", "legacy"), "1.28", "1.31", false)
	for _, m := range []string{"1.30", "1.31"} {
		if !strings.Contains(got[m], "excludes target "+m) {
			t.Errorf("render for %s: %q, want its own chart-kube-version problem", m, got[m])
		}
	}
	if _, ok := got["1.28,1.29"]; !ok {
		t.Errorf("1.28 and 1.29 should share a render: %v", got)
	}
}

// A chart asking more questions than the probe keeps renders at every
// minor: comparing answers must not grow with the chart's text.
func TestRangeManyObservationsRenderPerMinor(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: probe\ndata:\n  mode: {{ if or")
	for i := range 300 {
		fmt.Fprintf(&b, " (semverCompare \">=1.%d.%d-0\" .Capabilities.KubeVersion.GitVersion)", 40+i/10, i%10)
	}
	b.WriteString(" }}new{{ else }}old{{ end }}\n")
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Chart.yaml"), []byte("apiVersion: v2\nname: many\nversion: 0.1.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "templates", "cm.yaml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	got := rangeRenders(t, dir, "1.30", "1.32", false)
	if len(got) != 3 {
		t.Errorf("%d renders for 3 minors: %v", len(got), got)
	}
}
