package render

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/testcorpus"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/isolate"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/kustomize"
)

// Charts of the shared corpus that do not render with their default values,
// and the text the render error must contain.
var corpusChartFailures = map[string][]string{
	// Need values (MANIFEST.md).
	"current/aws-load-balancer-controller": {"clusterName", "templates/deployment.yaml"},
	"current/external-dns":                 {"values.schema.json", "policy"},
}

// Overlays of the shared corpus that cannot be built offline.
var corpusOverlayFailures = map[string][]string{
	"kustomize-examples/loadHttp":                 {"remote reference", "https://raw.githubusercontent.com/kubernetes-sigs/kustomize/master/examples/wordpress/wordpress/deployment.yaml"},
	"kustomize-examples/localize-testdata/remote": {"remote reference", "https://github.com/kubernetes-sigs/kustomize//api/krusty/testdata/localize/simple"},
	// Documentation-only example: kustomizeconfig/mykind.yaml is not in
	// the upstream repository.
	"kustomize-examples/transformerconfigs/images": {"kustomizeconfig/mykind.yaml"},
}

func problemsByOrigin(res *Result) map[string][]model.Problem {
	m := map[string][]model.Problem{}
	for _, p := range res.Problems {
		m[p.Origin] = append(m[p.Origin], p)
	}
	return m
}

func TestCorpusHelm(t *testing.T) {
	root := filepath.Join(corpusDir(t), "helm")
	if testing.Short() {
		t.Skip("renders 31 charts")
	}
	res := render(t, "1.33", Options{}, root)
	probs := problemsByOrigin(res)
	charts := 0
	for _, u := range res.Units {
		if u.Kind != model.SourceHelm {
			continue
		}
		charts++
		rel := strings.TrimPrefix(u.Path, paths.Display(root)+"/")
		want, failing := corpusChartFailures[rel]
		ps := probs[u.Path]
		if !failing {
			if u.Objects == 0 || len(ps) > 0 {
				t.Errorf("%s: %d objects, problems %+v", rel, u.Objects, ps)
			}
			continue
		}
		if len(ps) == 0 {
			t.Errorf("%s: rendered, want a render error", rel)
			continue
		}
		var text []string
		for _, p := range ps {
			text = append(text, p.File+" "+p.Message)
			if p.Rule != "render-error" {
				t.Errorf("%s: rule %s", rel, p.Rule)
			}
		}
		for _, s := range want {
			if all := strings.Join(text, "\n"); !strings.Contains(all, s) {
				t.Errorf("%s: %q lacks %q", rel, all, s)
			}
		}
	}
	if charts != 31 {
		t.Errorf("%d charts discovered, want 31", charts)
	}
	// The charts that need values render once they get them.
	dir := func(rel string) string { return filepath.Join(root, rel) }
	res = render(t, "1.33", Options{Helm: HelmOptions{Charts: map[string]ChartConfig{
		dir("current/aws-load-balancer-controller"): {Set: map[string]string{"clusterName": "prod"}},
		dir("current/external-dns"):                 {Set: map[string]string{"policy": "sync"}},
	}}}, dir("current/aws-load-balancer-controller"), dir("current/external-dns"))
	if len(res.Problems) > 0 || len(res.Objects) == 0 {
		t.Errorf("with values: %d objects, problems %+v", len(res.Objects), res.Problems)
	}
}

func TestCorpusKustomize(t *testing.T) {
	muteStderr(t)
	root := filepath.Join(corpusDir(t), "kustomize")
	res := render(t, "1.33", Options{RenderAll: true}, root)
	probs := problemsByOrigin(res)
	built := 0
	for _, u := range res.Units {
		if u.Kind != model.SourceKustomize {
			continue
		}
		rel := strings.TrimPrefix(u.Path, paths.Display(root)+"/")
		ps := probs[u.Path]
		if want, failing := corpusOverlayFailures[rel]; failing {
			if len(ps) == 0 {
				t.Errorf("%s: built, want a render error", rel)
			}
			var text []string
			for _, p := range ps {
				text = append(text, p.Message)
				if p.Rule != "render-error" || !strings.HasSuffix(p.File, "kustomization.yaml") {
					t.Errorf("%s: %s at %s", rel, p.Rule, p.File)
				}
			}
			for _, s := range want {
				if all := strings.Join(text, "\n"); !strings.Contains(all, s) {
					t.Errorf("%s: %q lacks %q", rel, all, s)
				}
			}
			continue
		}
		dir := filepath.Join(root, filepath.FromSlash(rel))
		if (&kustomize.Cache{}).IsComponent(dir, kustomize.Env{Root: paths.ScanRoot(dir), Limit: MaxFileSize}) {
			continue // components only build inside a kustomization
		}
		if len(ps) > 0 {
			t.Errorf("%s: %+v", rel, ps)
			continue
		}
		built++
	}
	if built < 80 {
		t.Errorf("%d kustomizations built, want at least 80", built)
	}
	// Remote references are located at their line.
	for _, p := range probs[paths.Display(filepath.Join(root, "kustomize-examples/loadHttp"))] {
		if p.Line == 0 {
			t.Errorf("remote reference without a line: %+v", p)
		}
	}
}

func TestCorpusKustomizeSourcesExist(t *testing.T) {
	muteStderr(t)
	root := filepath.Join(corpusDir(t), "kustomize")
	res := render(t, "1.33", Options{}, root)
	for _, o := range res.Objects {
		if o.Source.Kind != model.SourceKustomize {
			continue
		}
		if _, err := os.Stat(o.Source.File); err != nil {
			t.Errorf("%s: source %s does not exist", o.Ref(), o.Source.File)
		}
		if o.Source.Line == 0 {
			t.Errorf("%s: no line in %s", o.Ref(), o.Source.File)
		}
		if _, ok := o.Annotations()[kustomize.SourceAnnotation]; ok {
			t.Errorf("%s keeps the origin annotation", o.Ref())
		}
	}
}

// TestNoNetwork renders the corpus in a network namespace without
// interfaces: any attempt to reach the network fails there, and would show
// up as a render error the corpus tests do not expect.
func TestNoNetwork(t *testing.T) {
	corpus := corpusDir(t)
	if os.Getenv("KUPGRADE_LINT_NONET_CHILD") == "1" {
		muteStderr(t)
		helm, kust := filepath.Join(corpus, "helm"), filepath.Join(corpus, "kustomize")
		res := render(t, "1.33", Options{}, helm, kust)
		expected := map[string]bool{}
		for rel := range corpusChartFailures {
			expected[paths.Display(filepath.Join(helm, rel))] = true
		}
		for rel := range corpusOverlayFailures {
			expected[paths.Display(filepath.Join(kust, rel))] = true
		}
		for _, p := range res.Problems {
			if !expected[p.Origin] {
				t.Errorf("unexpected problem offline: %s %s:%d %s", p.Rule, p.File, p.Line, p.Message)
			}
			for _, s := range []string{"dial ", "no such host", "network is unreachable", "connection refused", "i/o timeout", "git fetch", "git clone", "exit status"} {
				if strings.Contains(p.Message, s) {
					t.Errorf("network use: %s:%d %s", p.File, p.Line, p.Message)
				}
			}
		}
		if len(res.Objects) < 1000 {
			t.Errorf("only %d objects rendered", len(res.Objects))
		}
		return
	}
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("needs root to create a network namespace")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("unshare not installed")
	}
	if err := exec.Command(unshare, "-n", "true").Run(); err != nil {
		t.Skipf("cannot create a network namespace: %v", err)
	}
	cmd := exec.CommandContext(context.Background(), unshare, "-n", os.Args[0], "-test.run", "^TestNoNetwork$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "KUPGRADE_LINT_NONET_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestNoNetwork") {
		t.Fatalf("render without network: %v\n%s", err, out)
	}
}

func BenchmarkRenderCorpus(b *testing.B) {
	corpus := corpusDir(b)
	tv := kubeversion.MustParse("1.33")
	opts := Options{
		Paths:       []string{filepath.Join(corpus, "helm"), filepath.Join(corpus, "kustomize")},
		Target:      tv,
		APIVersions: kubeversion.Default().ServedAPIs(tv),
		// In process, so a CPU profile sees the renderers (the sandbox's
		// own cost is measured by the whole-process figures).
		Sandbox: SandboxOptions{Disabled: os.Getenv("KUPGRADE_BENCH_SANDBOX") == ""},
	}
	isolate.DiscardLogs()
	muteStderr(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Run(context.Background(), opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Objects) == 0 {
			b.Fatal("nothing rendered")
		}
	}
}

// BenchmarkExternalTools does the work of BenchmarkRenderCorpus with
// `helm template` and `kustomize build` processes, for comparison. Set
// KUPGRADE_LINT_TOOLS to a directory holding both binaries (see
// docs/benchmarks.md); skipped otherwise.
func BenchmarkExternalTools(b *testing.B) {
	bin := os.Getenv("KUPGRADE_LINT_TOOLS")
	if bin == "" {
		b.Skip("KUPGRADE_LINT_TOOLS not set")
	}
	corpus := corpusDir(b)
	p, err := discover(Options{Paths: []string{filepath.Join(corpus, "helm"), filepath.Join(corpus, "kustomize")}})
	if err != nil {
		b.Fatal(err)
	}
	var cmds [][]string
	for _, u := range p.units {
		switch u.kind {
		case model.SourceHelm:
			cmds = append(cmds, []string{filepath.Join(bin, "helm"), "template", u.fs, "--kube-version", "1.33.0", "--include-crds"})
		case model.SourceKustomize:
			cmds = append(cmds, []string{filepath.Join(bin, "kustomize"), "build", u.fs})
		}
	}
	run := func(b *testing.B, workers int) {
		for i := 0; i < b.N; i++ {
			sem := make(chan struct{}, workers)
			done := make(chan struct{}, len(cmds))
			for _, c := range cmds {
				sem <- struct{}{}
				go func(c []string) {
					defer func() { <-sem; done <- struct{}{} }()
					_ = exec.Command(c[0], c[1:]...).Run() // the known failures fail here too
				}(c)
			}
			for range cmds {
				<-done
			}
		}
		b.ReportMetric(float64(len(cmds)), "processes/op")
	}
	b.Run("parallel", func(b *testing.B) { run(b, runtime.GOMAXPROCS(0)) })
	b.Run("serial", func(b *testing.B) { run(b, 1) })
}

// corpusDir finds ../shared/corpus, skipping when it is absent.
func corpusDir(tb testing.TB) string { return testcorpus.Dir(tb) }

// muteStderr keeps Kustomize's stderr notes out of the test output.
func muteStderr(tb testing.TB) { tb.Cleanup(isolate.MuteStderr()) }
