package render

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/kustomize"
)

// The attack fixtures are built in temp dirs: a scanned tree "repo" with an
// overlay "repo/app" and, beside it, a plain Ingress with a removed API that
// must be reported whatever happens to the overlay.

const ingressYAML = `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: web
spec:
  backend:
    serviceName: web
    servicePort: 80
`

const deployYAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
`

// writeTree creates files (slash paths relative to dir) with their content.
// newRepo returns a temp dir holding repo/ (the scanned tree) with the
// plain Ingress and the given files below repo/.
func newRepo(t *testing.T, files map[string]string) (outer, repo string) {
	t.Helper()
	outer = t.TempDir()
	repo = filepath.Join(outer, "repo")
	writeTree(t, repo, map[string]string{"ingress.yaml": ingressYAML})
	writeTree(t, repo, files)
	return outer, repo
}

// renderWithin renders with a deadline: a FIFO or device read by mistake
// would block forever. It renders in this process: these tests check the
// Kustomize path's own defences (and watch krusty through a hook), not the
// worker sandbox around it, which refuses exec and sockets by itself.
func renderWithin(t *testing.T, target string, opts Options, paths ...string) *Result {
	t.Helper()
	opts.Sandbox.Disabled = true
	done := make(chan *Result, 1)
	go func() { done <- render(t, target, opts, paths...) }()
	select {
	case res := <-done:
		return res
	case <-time.After(60 * time.Second):
		t.Fatalf("rendering %v did not finish in 60 s", paths)
		return nil
	}
}

type wantProblem struct {
	file string // relative to the scanned repo
	line int
	has  []string // substrings of the message
}

// checkRenderErrors asserts the render errors are exactly want (any order)
// and every other problem is a parse error at one of the allowed files.
func checkRenderErrors(t *testing.T, repo string, res *Result, want []wantProblem, parseOK ...string) {
	t.Helper()
	var got []model.Problem
	for _, p := range res.Problems {
		if p.Rule != "render-error" {
			// Discovery reports the link or special file itself too, at
			// its own path: the overlay is not built, so its directory is
			// scanned as plain files.
			ok := p.Rule == "parse-error" && p.Line == 0 &&
				(strings.HasPrefix(p.Message, "symlink points outside") || strings.HasPrefix(p.Message, "not a regular file"))
			for _, f := range parseOK {
				ok = ok || (p.Rule == "parse-error" && p.File == paths.Display(filepath.Join(repo, f)))
			}
			if !ok {
				t.Errorf("unexpected problem %s %s:%d %s", p.Rule, p.File, p.Line, p.Message)
			}
			continue
		}
		got = append(got, p)
	}
	used := make([]bool, len(got))
	for _, w := range want {
		file := paths.Display(filepath.Join(repo, filepath.FromSlash(w.file)))
		found := false
		for i, p := range got {
			if used[i] || p.File != file || p.Line != w.line || p.Kind != model.SourceKustomize {
				continue
			}
			all := true
			for _, s := range w.has {
				all = all && strings.Contains(p.Message, s)
			}
			if all {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("no render-error at %s:%d containing %q", w.file, w.line, w.has)
		}
	}
	for i, p := range got {
		if !used[i] {
			t.Errorf("unexpected render-error %s:%d %s", p.File, p.Line, p.Message)
		}
	}
}

// checkIngress asserts the plain Ingress beside the attack is reported.
func checkIngress(t *testing.T, repo string, res *Result) {
	t.Helper()
	want := "removed-api " + paths.Display(filepath.Join(repo, "ingress.yaml")) + ":1 extensions/v1beta1/Ingress"
	for _, f := range findings("1.25", res) {
		if f == want {
			return
		}
	}
	t.Errorf("%s missing from %v", want, findings("1.25", res))
}

// built runs f and returns the overlay directories handed to Kustomize.
func built(f func()) map[string]bool {
	var mu sync.Mutex
	dirs := map[string]bool{}
	kustomize.KrustyHook = func(d string) {
		mu.Lock()
		dirs[d] = true
		mu.Unlock()
	}
	defer func() { kustomize.KrustyHook = nil }()
	f()
	return dirs
}

// notBuilt runs f and asserts Kustomize never saw the overlay in dir.
func notBuilt(t *testing.T, dir string, f func()) {
	t.Helper()
	if built(f)[paths.Real(dir)] {
		t.Errorf("the refused overlay %s was handed to Kustomize", dir)
	}
}

// fakeTools puts git and ssh scripts that leave a marker first on an
// otherwise empty PATH, and returns the marker's path.
func fakeTools(t *testing.T) string {
	t.Helper()
	bin := t.TempDir()
	marker := filepath.Join(bin, "executed")
	for _, tool := range []string{"git", "ssh", "helm"} {
		script := fmt.Sprintf("#!/bin/sh\necho %s \"$@\" >> %q\nexit 1\n", tool, marker)
		if err := os.WriteFile(filepath.Join(bin, tool), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin)
	return marker
}

func checkNotExecuted(t *testing.T, marker string) {
	t.Helper()
	if b, err := os.ReadFile(marker); err == nil {
		t.Errorf("a tool was executed: %s", b)
	}
}

const kustHead = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"

// Class 1 and 2: nothing Kustomize would fetch (git, ssh, HTTP) reaches it,
// in any field, spelling or existing local shape.
func TestKustomizeRemoteReferencesNeverRun(t *testing.T) {
	muteStderr(t)
	remote := "is a remote reference, which is not fetched"
	missing := "is not a file or directory inside the scanned tree"
	tests := []struct {
		name  string
		files map[string]string
		dirs  []string // created below repo
		want  []wantProblem
	}{
		{"scp user@host", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - deploy.yaml\n  - user@host:repo.git\n"},
			nil, []wantProblem{{"app/kustomization.yaml", 5, []string{`resources entry "user@host:repo.git"`, remote, "overlay "}}}},
		{"scp numeric host", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - deploy@2130706433:org/repo.git\n"},
			nil, []wantProblem{{"app/kustomization.yaml", 4, []string{`"deploy@2130706433:org/repo.git"`, remote}}}},
		{"scp shape that exists locally", map[string]string{
			"app/kustomization.yaml":                          kustHead + "resources:\n  - x@host.com:repo.yaml/sub\n",
			"app/x@host.com:repo.yaml/sub/kustomization.yaml": kustHead + "resources:\n  - cm.yaml\n",
			"app/x@host.com:repo.yaml/sub/cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
		}, nil, []wantProblem{{"app/kustomization.yaml", 4, []string{`"x@host.com:repo.yaml/sub"`, remote}}}},
		{"mixed-case git:: component", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - deploy.yaml\ncomponents:\n  - Git::https://example.com/repo.git\n"},
			nil, []wantProblem{{"app/kustomization.yaml", 6, []string{`components entry "Git::https://example.com/repo.git"`, remote}}}},
		{"github shorthand base", map[string]string{"app/kustomization.yaml": kustHead + "bases:\n  - github.com/org/repo\n"},
			[]string{"app/github.com/org/repo"}, []wantProblem{{"app/kustomization.yaml", 4, []string{`bases entry "github.com/org/repo"`, remote}}}},
		{"file scheme", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - file:///srv/repo.git\n"},
			nil, []wantProblem{{"app/kustomization.yaml", 4, []string{`"file:///srv/repo.git"`, remote}}}},
		{"gh: prefix", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - gh:org/repo\n"},
			nil, []wantProblem{{"app/kustomization.yaml", 4, []string{`"gh:org/repo"`, remote}}}},
		{"key in another case", map[string]string{"app/kustomization.yaml": kustHead + "Resources:\n  - git@github.com:org/repo\n"},
			nil, []wantProblem{{"app/kustomization.yaml", 4, []string{`resources entry "git@github.com:org/repo"`, remote}}}},
		{"reference through an alias", map[string]string{"app/kustomization.yaml": "metadata:\n  annotations:\n    x: &r ssh://git@example.com/repo.git\n" + kustHead + "resources:\n  - *r\n"},
			nil, []wantProblem{{"app/kustomization.yaml", 3, []string{`"ssh://git@example.com/repo.git"`, remote}}}},
		{"transformer config path over HTTP", map[string]string{
			"app/kustomization.yaml": kustHead + "resources:\n  - deploy.yaml\ntransformers:\n  - patch.yaml\n",
			"app/patch.yaml":         "apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\npath: https://example.com/p.yaml\ntarget:\n  kind: Deployment\n",
		}, nil, []wantProblem{{"app/patch.yaml", 5, []string{`transformers configuration field path "https://example.com/p.yaml"`, remote}}}},
		{"inline generator naming a git base", map[string]string{
			"app/kustomization.yaml": kustHead + "generators:\n  - |\n    apiVersion: builtin\n    kind: ConfigMapGenerator\n    metadata:\n      name: c\n    envs:\n      - u@h:x.env\n",
		}, nil, []wantProblem{{"app/kustomization.yaml", 10, []string{`generators configuration field envs "u@h:x.env"`, remote}}}},
		{"patchesStrategicMerge URL", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - deploy.yaml\npatchesStrategicMerge:\n  - https://example.com/p.yaml\n"},
			nil, []wantProblem{{"app/kustomization.yaml", 6, []string{`patchesStrategicMerge entry "https://example.com/p.yaml"`, remote}}}},
		{"generator file over ssh", map[string]string{"app/kustomization.yaml": kustHead + "configMapGenerator:\n  - name: c\n    files:\n      - key=ssh://host/x\n"},
			nil, []wantProblem{{"app/kustomization.yaml", 6, []string{`configMapGenerator file "ssh://host/x"`, remote}}}},
		{"host/org/repo that is not here", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - gitlab.example.org/org/repo\n"},
			nil, []wantProblem{{"app/kustomization.yaml", 4, []string{`"gitlab.example.org/org/repo"`, remote}}}},
		{"missing local file", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - deploy.yaml\npatches:\n  - path: nothere.yaml\n"},
			nil, []wantProblem{{"app/kustomization.yaml", 6, []string{`patches path "nothere.yaml"`, missing}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			marker := fakeTools(t)
			tt.files["app/deploy.yaml"] = deployYAML
			_, repo := newRepo(t, tt.files)
			for _, d := range tt.dirs {
				writeTree(t, filepath.Join(repo, d), map[string]string{"kustomization.yaml": kustHead + "resources:\n  - cm.yaml\n", "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"})
			}
			var res *Result
			notBuilt(t, filepath.Join(repo, "app"), func() { res = renderWithin(t, "1.25", Options{}, repo) })
			checkNotExecuted(t, marker)
			checkRenderErrors(t, repo, res, tt.want)
			checkIngress(t, repo, res)
			// The overlay is not built: its local resource is scanned as a
			// plain file instead of being lost.
			found := false
			for _, o := range res.Objects {
				found = found || (o.Kind == "Deployment" && o.Source.Kind == model.SourcePlain && o.Source.File == paths.Display(filepath.Join(repo, "app/deploy.yaml")))
			}
			if !found {
				t.Errorf("app/deploy.yaml not scanned as a plain file")
			}
		})
	}
}

// The same overlay without the attack builds: the checks do not refuse
// ordinary local references (files, bases, generators, patches, symlinks
// inside the tree).
func TestKustomizeLocalReferencesStillBuild(t *testing.T) {
	muteStderr(t)
	marker := fakeTools(t)
	_, repo := newRepo(t, map[string]string{
		"base/kustomization.yaml": kustHead + "resources:\n  - deploy.yaml\n",
		"base/deploy.yaml":        deployYAML,
		"app/kustomization.yaml": kustHead + "resources:\n  - ../base\n  - linked.yaml\npatches:\n  - path: patch.yaml\n" +
			"patchesStrategicMerge:\n  - |\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: web, labels: {a: b}}\n" +
			"configMapGenerator:\n  - name: c\n    files:\n      - k=data.txt\n    envs:\n      - app.env\n" +
			"transformers:\n  - labels.yaml\n",
		"app/patch.yaml":  "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n",
		"app/data.txt":    "a*b*c\n",
		"app/app.env":     "A=1\n",
		"app/labels.yaml": "apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n  name: l\nlabels:\n  team: x\nfieldSpecs:\n  - path: metadata/labels\n    create: true\n",
		"app/sub/cj.yaml": "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: cj\n",
	})
	symlink(t, "sub/cj.yaml", filepath.Join(repo, "app/linked.yaml"))
	var res *Result
	if !built(func() { res = renderWithin(t, "1.25", Options{}, repo) })[paths.Real(filepath.Join(repo, "app"))] {
		t.Errorf("the overlay was not handed to Kustomize")
	}
	checkNotExecuted(t, marker)
	checkRenderErrors(t, repo, res, nil)
	checkIngress(t, repo, res)
	got := map[string]string{}
	for _, o := range res.Objects {
		got[o.Kind] = fmt.Sprintf("%s:%d", o.Source.File, o.Source.Line)
	}
	if w := paths.Display(filepath.Join(repo, "app/sub/cj.yaml")) + ":1"; got["CronJob"] != w {
		t.Errorf("CronJob at %s, want %s", got["CronJob"], w)
	}
	if w := paths.Display(filepath.Join(repo, "base/deploy.yaml")) + ":1"; got["Deployment"] != w {
		t.Errorf("Deployment at %s, want %s", got["Deployment"], w)
	}
	if _, ok := got["ConfigMap"]; !ok {
		t.Errorf("generated ConfigMap missing: %v", got)
	}
}

// Class 1/3/6: local references that leave the scanned tree, directly, by
// "..", absolute path or symlink.
func TestKustomizeReferencesOutsideTree(t *testing.T) {
	muteStderr(t)
	outsideMsg := "resolves outside the scanned tree"
	tests := []struct {
		name  string
		files map[string]string
		links map[string]string // below repo -> target (absolute: used as is; else below outer)
		want  []wantProblem
	}{
		{"dot-dot resource", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - ../../outside/cm.yaml\n"}, nil,
			[]wantProblem{{"app/kustomization.yaml", 4, []string{`resources entry "../../outside/cm.yaml"`, outsideMsg}}}},
		{"absolute resource", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - OUTER/outside/cm.yaml\n"}, nil,
			[]wantProblem{{"app/kustomization.yaml", 4, []string{`/outside/cm.yaml"`, outsideMsg}}}},
		{"symlinked resource", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - cm.yaml\n"},
			map[string]string{"app/cm.yaml": "outside/cm.yaml"},
			[]wantProblem{{"app/kustomization.yaml", 4, []string{`resources entry "cm.yaml"`, outsideMsg}}}},
		{"base above the tree", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - ../../outside\n"}, nil,
			[]wantProblem{{"app/kustomization.yaml", 4, []string{`"../../outside"`, outsideMsg}}}},
		{"patch linked to /etc/passwd", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - deploy.yaml\npatches:\n  - path: p.yaml\n", "app/deploy.yaml": deployYAML},
			map[string]string{"app/p.yaml": "/etc/passwd"},
			[]wantProblem{{"app/kustomization.yaml", 6, []string{`patches path "p.yaml"`, outsideMsg}}}},
		{"crds, openapi and replacements outside", map[string]string{"app/kustomization.yaml": kustHead + "crds:\n  - ../../outside/cm.yaml\nopenapi:\n  path: OUTER/outside/cm.yaml\nreplacements:\n  - path: r.yaml\n"},
			map[string]string{"app/r.yaml": "outside/cm.yaml"},
			[]wantProblem{
				{"app/kustomization.yaml", 4, []string{`crds entry "../../outside/cm.yaml"`, outsideMsg}},
				{"app/kustomization.yaml", 6, []string{`openapi path "`, outsideMsg}},
				{"app/kustomization.yaml", 8, []string{`replacements path "r.yaml"`, outsideMsg}},
			}},
		{"kustomization file linked outside", nil,
			map[string]string{"app/kustomization.yaml": "outside/kustomization.yaml"},
			[]wantProblem{{"app/kustomization.yaml", 0, []string{"the kustomization file resolves outside the scanned tree"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outer, repo := newRepo(t, nil)
			for name, content := range tt.files {
				tt.files[name] = strings.ReplaceAll(content, "OUTER", outer)
			}
			writeTree(t, repo, tt.files)
			writeTree(t, outer, map[string]string{
				"outside/cm.yaml":            "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: outside\n",
				"outside/kustomization.yaml": kustHead + "resources:\n  - cm.yaml\n",
			})
			for link, target := range tt.links {
				if !filepath.IsAbs(target) {
					target = filepath.Join(outer, target)
				}
				symlink(t, target, filepath.Join(repo, link))
			}
			var res *Result
			notBuilt(t, filepath.Join(repo, "app"), func() { res = renderWithin(t, "1.25", Options{}, repo) })
			checkRenderErrors(t, repo, res, tt.want)
			checkIngress(t, repo, res)
			for _, o := range res.Objects {
				if o.Kind == "PodSecurityPolicy" || !strings.HasPrefix(o.Source.File, paths.Display(repo)) {
					t.Errorf("object %s from %s, outside the tree", o.Ref(), o.Source.File)
				}
			}
		})
	}
}

// Class 6: FIFOs, devices and oversized files are refused, never read (a
// read would hang or exhaust memory).
func TestKustomizeNonRegularFiles(t *testing.T) {
	muteStderr(t)
	tests := []struct {
		name   string
		files  map[string]string
		fifos  []string
		links  map[string]string
		limit  int64
		want   []wantProblem
		plainP []string // files allowed to have parse errors
		built  bool     // refused while Kustomize reads, not before
	}{
		{"FIFO resource", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - pipe.yaml\n"}, []string{"app/pipe.yaml"}, nil, 0,
			[]wantProblem{{"app/kustomization.yaml", 4, []string{`resources entry "pipe.yaml" is not a regular file or directory`}}}, nil, false},
		{"FIFO generator file", map[string]string{"app/kustomization.yaml": kustHead + "configMapGenerator:\n  - name: c\n    files:\n      - pipe\n"}, []string{"app/pipe"}, nil, 0,
			[]wantProblem{{"app/kustomization.yaml", 6, []string{`configMapGenerator file "pipe" is not a regular file`}}}, nil, false},
		{"patch linked to /dev/zero", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - deploy.yaml\npatches:\n  - path: zero.yaml\n", "app/deploy.yaml": deployYAML}, nil,
			map[string]string{"app/zero.yaml": "/dev/zero"}, 0,
			[]wantProblem{{"app/kustomization.yaml", 6, []string{`patches path "zero.yaml"`, "outside the scanned tree"}}}, nil, false},
		{"FIFO probed as a second kustomization name", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - deploy.yaml\n", "app/deploy.yaml": deployYAML},
			[]string{"app/kustomization.yml"}, nil, 0,
			[]wantProblem{{"app/kustomization.yml", 0, []string{"kustomization.yml is not a regular file"}}}, nil, true},
		{"resource over the size limit", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - deploy.yaml\n", "app/deploy.yaml": deployYAML}, nil, nil, 200,
			[]wantProblem{{"app/kustomization.yaml", 4, []string{fmt.Sprintf(`resources entry "deploy.yaml" is %d bytes, larger than the 200-byte limit`, len(deployYAML))}}}, []string{"app/deploy.yaml"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outer, repo := newRepo(t, tt.files)
			for _, f := range tt.fifos {
				mkfifo(t, filepath.Join(repo, f))
			}
			for link, target := range tt.links {
				if !filepath.IsAbs(target) {
					target = filepath.Join(outer, target)
				}
				symlink(t, target, filepath.Join(repo, link))
			}
			var res *Result
			dirs := built(func() { res = renderWithin(t, "1.25", Options{MaxFileSize: tt.limit}, repo) })
			if dirs[paths.Real(filepath.Join(repo, "app"))] != tt.built {
				t.Errorf("overlay handed to Kustomize: %v, want %v", !tt.built, tt.built)
			}
			checkRenderErrors(t, repo, res, tt.want, tt.plainP...)
			checkIngress(t, repo, res)
		})
	}
}

// copyDir copies a directory tree (test fixtures).
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

const kustWebChart = kdir + "/helmcharts/ok/charts/web"

// Class 3: helmCharts cannot reach charts or values files outside the tree.
func TestKustomizeHelmChartsOutsideTree(t *testing.T) {
	muteStderr(t)
	outsideMsg := "outside the scanned tree"
	tests := []struct {
		name    string
		kust    string
		inTree  bool              // vendor the chart in app/charts/web
		links   map[string]string // below repo -> target below outer
		fifos   []string
		dirs    []string
		want    []wantProblem
		parseOK []string
	}{
		{"absolute chartHome", "helmGlobals:\n  chartHome: OUTER/charts\nhelmCharts:\n  - name: web\n", false, nil, nil, nil,
			[]wantProblem{{"app/kustomization.yaml", 4, []string{`helmCharts entry "web"`, `chartHome "` + "OUTER/charts", outsideMsg}}}, nil},
		{"chartHome climbing out", "helmGlobals:\n  chartHome: ../../charts\nhelmCharts:\n  - name: web\n", false, nil, nil, nil,
			[]wantProblem{{"app/kustomization.yaml", 4, []string{`helmCharts entry "web"`, `chartHome "../../charts"`, outsideMsg}}}, nil},
		{"chart name climbing out", "helmCharts:\n  - name: ../../../charts/web\n", false, nil, nil, nil,
			[]wantProblem{{"app/kustomization.yaml", 4, []string{`helmCharts entry "../../../charts/web"`, outsideMsg}}}, nil},
		{"vendored chart is a symlink out", "helmCharts:\n  - name: web\n", false, map[string]string{"app/charts/web": "charts/web"}, nil, nil,
			[]wantProblem{{"app/kustomization.yaml", 4, []string{`helmCharts entry "web"`, outsideMsg}}}, nil},
		{"valuesFile climbing out", "helmCharts:\n  - name: web\n    valuesFile: ../../values.yaml\n", true, nil, nil, nil,
			[]wantProblem{{"app/kustomization.yaml", 5, []string{`helmCharts valuesFile "../../values.yaml"`, outsideMsg}}}, nil},
		{"absolute additional values file", "helmCharts:\n  - name: web\n    additionalValuesFiles:\n      - /etc/passwd\n", true, nil, nil, nil,
			[]wantProblem{{"app/kustomization.yaml", 6, []string{`helmCharts additionalValuesFiles entry "/etc/passwd"`, outsideMsg}}}, nil},
		{"values file symlinked out", "helmCharts:\n  - name: web\n    valuesFile: values.yaml\n", true, map[string]string{"app/values.yaml": "values.yaml"}, nil, nil,
			[]wantProblem{{"app/kustomization.yaml", 5, []string{`helmCharts valuesFile "values.yaml"`, outsideMsg}}}, nil},
		{"values file is a FIFO", "helmCharts:\n  - name: web\n    valuesFile: values.yaml\n", true, nil, []string{"app/values.yaml"}, nil,
			[]wantProblem{{"app/kustomization.yaml", 5, []string{`helmCharts valuesFile "values.yaml" is not a regular file`}}}, nil},
		{"values file is a directory", "helmCharts:\n  - name: web\n    valuesFile: values\n", true, nil, nil, []string{"app/values"},
			[]wantProblem{{"app/kustomization.yaml", 5, []string{`helmCharts valuesFile "values" is a directory`}}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outer, repo := newRepo(t, nil)
			copyDir(t, kustWebChart, filepath.Join(outer, "charts/web"))
			writeTree(t, outer, map[string]string{"values.yaml": "schedule: \"@outside\"\n"})
			kust := kustHead + strings.ReplaceAll(tt.kust, "OUTER", outer)
			writeTree(t, repo, map[string]string{"app/kustomization.yaml": kust})
			if tt.inTree {
				copyDir(t, kustWebChart, filepath.Join(repo, "app/charts/web"))
			}
			for link, target := range tt.links {
				symlink(t, filepath.Join(outer, target), filepath.Join(repo, link))
			}
			for _, f := range tt.fifos {
				mkfifo(t, filepath.Join(repo, f))
			}
			for _, d := range tt.dirs {
				if err := os.MkdirAll(filepath.Join(repo, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			for i, w := range tt.want {
				for j, s := range w.has {
					tt.want[i].has[j] = strings.ReplaceAll(s, "OUTER", outer)
				}
			}
			var res *Result
			notBuilt(t, filepath.Join(repo, "app"), func() { res = renderWithin(t, "1.25", Options{}, repo) })
			checkRenderErrors(t, repo, res, tt.want, tt.parseOK...)
			checkIngress(t, repo, res)
			for _, o := range res.Objects {
				if !strings.HasPrefix(o.Source.File, paths.Display(repo)+"/") {
					t.Errorf("object %s from %s, outside the tree", o.Ref(), o.Source.File)
				}
				if s, _ := o.Get("spec.schedule"); s == "@outside" {
					t.Errorf("%s rendered with the values file outside the tree", o.Ref())
				}
			}
		})
	}
}

// Class 4: a forged source annotation (in a patch or in the input) is
// never followed and never reaches the output.
func TestKustomizeForgedSourceAnnotation(t *testing.T) {
	muteStderr(t)
	tests := []struct{ name, kust, files string }{
		{"patch sets the annotation to a file outside", "patches:\n  - path: forge.yaml\n",
			"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    kupgrade-lint.io/source: OUTER/evil.yaml#0\n"},
		{"patch sets it to /etc/passwd", "patches:\n  - path: forge.yaml\n",
			"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    kupgrade-lint.io/source: /etc/passwd#0\n"},
		{"patch guesses the random form", "patches:\n  - path: forge.yaml\n",
			"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    kupgrade-lint.io/source-0123456789abcdef: OUTER/evil.yaml#0\n"},
		{"JSON patch adds it", "patches:\n  - target: {kind: Deployment}\n    patch: |-\n      - op: add\n        path: /metadata/annotations\n        value: {\"kupgrade-lint.io/source\": \"OUTER/evil.yaml#0\"}\n", ""},
		{"input carries it", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outer, repo := newRepo(t, nil)
			// A Deployment "web" at line 4 outside the tree: where a
			// followed annotation would place the object.
			writeTree(t, outer, map[string]string{"evil.yaml": "# a\n# b\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"})
			deploy := deployYAML
			if tt.name == "input carries it" {
				deploy = strings.Replace(deployYAML, "  name: web\n", "  name: web\n  annotations:\n    kupgrade-lint.io/source: "+outer+"/evil.yaml#0\n", 1)
			}
			files := map[string]string{
				"app/kustomization.yaml": kustHead + "resources:\n  - deploy.yaml\n" + strings.ReplaceAll(tt.kust, "OUTER", outer),
				"app/deploy.yaml":        deploy,
			}
			if tt.files != "" {
				files["app/forge.yaml"] = strings.ReplaceAll(tt.files, "OUTER", outer)
			}
			writeTree(t, repo, files)
			res := renderWithin(t, "1.25", Options{}, repo)
			checkRenderErrors(t, repo, res, nil)
			checkIngress(t, repo, res)
			var dep *model.Object
			for _, o := range res.Objects {
				if o.Kind == "Deployment" {
					dep = o
				}
			}
			if dep == nil {
				t.Fatal("Deployment not rendered")
			}
			file := paths.Display(filepath.Join(repo, "app/deploy.yaml"))
			if dep.Source.Kind != model.SourceKustomize || dep.Source.File != file || dep.Source.Line != 1 {
				t.Errorf("Deployment at %s %s:%d, want kustomize %s:1", dep.Source.Kind, dep.Source.File, dep.Source.Line, file)
			}
			// A patch replacing all annotations drops the real one too: the
			// object is then found by name, with no source recorded.
			if got := dep.Extra[kustomize.SourceAnnotation]; got != file+"#0" && got != "" {
				t.Errorf("source %q, want %q", got, file+"#0")
			}
			for k := range dep.Annotations() {
				if strings.HasPrefix(k, kustomize.SourceAnnotation) {
					t.Errorf("annotation %s left in the output", k)
				}
			}
			if s := fmt.Sprint(dep.Node); strings.Contains(s, kustomize.SourceAnnotation) || strings.Contains(s, "evil.yaml") {
				t.Errorf("the output node keeps the annotation: %s", s)
			}
		})
	}
}

// Class 5: alias cycles and alias bombs in anything Kustomize parses are
// refused at the alias, before Kustomize expands them.
func TestKustomizeAliasBombs(t *testing.T) {
	muteStderr(t)
	laughs := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\nx:\n" +
		"  a: &a [l, l, l, l, l, l, l, l, l, l]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		laughs += fmt.Sprintf("  %s: &%s [%s]\n", n, n, strings.TrimSuffix(strings.Repeat("*"+prev+", ", 10), ", "))
		prev = n
	}
	mergeBomb := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n" +
		"    m0: &m0 {a: x, b: x, c: x, d: x, e: x, f: x, g: x, h: x, i: x, j: x}\n"
	for i := 1; i <= 7; i++ {
		mergeBomb += fmt.Sprintf("    m%d: &m%d {<<: *m%d, a: *m%d, b: *m%d, c: *m%d, d: *m%d, e: *m%d, f: *m%d, g: *m%d, h: *m%d, i: *m%d}\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	cycle := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: loop\ndata:\n  items: &s [*s]\n"
	tests := []struct {
		name    string
		files   map[string]string
		want    []wantProblem
		parseOK []string
	}{
		{"cycle in a resource", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - loop.yaml\n", "app/loop.yaml": cycle},
			[]wantProblem{{"app/loop.yaml", 6, []string{"alias cycle: *s is used inside its own anchor"}}}, []string{"app/loop.yaml"}},
		{"billion laughs in a patch", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - deploy.yaml\npatches:\n  - path: lol.yaml\n", "app/deploy.yaml": deployYAML, "app/lol.yaml": laughs},
			[]wantProblem{{"app/lol.yaml", 11, []string{"expands beyond 1000000 nodes at alias *e"}}}, []string{"app/lol.yaml"}},
		{"merge-key bomb in a base resource", map[string]string{
			"app/kustomization.yaml":  kustHead + "resources:\n  - ../base\n",
			"base/kustomization.yaml": kustHead + "resources:\n  - deploy.yaml\n",
			"base/deploy.yaml":        mergeBomb,
		}, []wantProblem{
			// The base is not claimed by the refused overlay: it is
			// rendered, and refused, on its own too.
			{"base/deploy.yaml", 11, []string{"/repo/app is not built", "expands beyond 1000000 nodes at alias *m4"}},
			{"base/deploy.yaml", 11, []string{"/repo/base is not built", "expands beyond 1000000 nodes at alias *m4"}},
		}, []string{"base/deploy.yaml"}},
		{"bomb in the kustomization", map[string]string{"app/kustomization.yaml": strings.Replace(laughs, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\nx:\n", kustHead+"metadata:\n  name: lol\n  annotations:\n", 1)},
			[]wantProblem{{"app/kustomization.yaml", 11, []string{"the kustomization file expands beyond 1000000 nodes at alias *e"}}}, nil},
		{"cycle in an inline patch", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - deploy.yaml\npatches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata: &m\n        name: web\n        labels: *m\n", "app/deploy.yaml": deployYAML},
			[]wantProblem{{"app/kustomization.yaml", 11, []string{"inline patches patch has an alias cycle: *m"}}}, nil},
		{"cycle after a broken document", map[string]string{"app/kustomization.yaml": kustHead + "resources:\n  - two.yaml\n", "app/two.yaml": "a: [unclosed\n---\n" + cycle},
			[]wantProblem{{"app/two.yaml", 8, []string{"alias cycle: *s"}}}, []string{"app/two.yaml"}},
		{"cycle in a helm values file", map[string]string{"app/kustomization.yaml": kustHead + "helmCharts:\n  - name: web\n    valuesFile: values.yaml\n", "app/values.yaml": "schedule: &s [*s]\n"},
			[]wantProblem{{"app/values.yaml", 1, []string{"alias cycle: *s"}}}, []string{"app/values.yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, repo := newRepo(t, tt.files)
			copyDir(t, kustWebChart, filepath.Join(repo, "app/charts/web"))
			var res *Result
			notBuilt(t, filepath.Join(repo, "app"), func() { res = renderWithin(t, "1.25", Options{}, repo) })
			checkRenderErrors(t, repo, res, tt.want, tt.parseOK...)
			checkIngress(t, repo, res)
		})
	}
}

// Class 7: overlays that use each other as bases are reported, and their
// files are still scanned.
func TestKustomizeBaseCycles(t *testing.T) {
	muteStderr(t)
	ing := func(name string) string { return strings.Replace(ingressYAML, "name: web", "name: "+name, 1) }
	t.Run("two overlays", func(t *testing.T) {
		_, repo := newRepo(t, map[string]string{
			"a/kustomization.yaml": kustHead + "resources:\n  - ing.yaml\n  - ../b\n", "a/ing.yaml": ing("a"),
			"b/kustomization.yaml": kustHead + "resources:\n  - ing.yaml\n  - ../a\n", "b/ing.yaml": ing("b"),
		})
		a, b := paths.Display(filepath.Join(repo, "a")), paths.Display(filepath.Join(repo, "b"))
		var res *Result
		dirs := built(func() { res = renderWithin(t, "1.25", Options{}, repo) })
		if len(dirs) > 0 {
			t.Errorf("overlays of a cycle handed to Kustomize: %v", dirs)
		}
		checkRenderErrors(t, repo, res, []wantProblem{
			{"b/kustomization.yaml", 5, []string{"overlay " + a + " is not built", `resources entry "../a" closes a cycle`, a + " -> " + b + " -> " + a, "none of " + a + ", " + b + " is built"}},
			{"a/kustomization.yaml", 5, []string{"overlay " + b + " is not built", `resources entry "../b" closes a cycle`, b + " -> " + a + " -> " + b}},
		})
		got := findings("1.25", res)
		for _, f := range []string{"a/ing.yaml", "b/ing.yaml", "ingress.yaml"} {
			want := "removed-api " + paths.Display(filepath.Join(repo, f)) + ":1 extensions/v1beta1/Ingress"
			if !contains(got, want) {
				t.Errorf("%s missing from %v", want, got)
			}
		}
		if units := unitList(res); !contains(units, "kustomize "+a) || !contains(units, "kustomize "+b) {
			t.Errorf("cycle overlays not reported as units: %v", units)
		}
	})
	t.Run("overlay on itself", func(t *testing.T) {
		_, repo := newRepo(t, map[string]string{"a/kustomization.yaml": kustHead + "resources:\n  - ing.yaml\n  - .\n", "a/ing.yaml": ing("a")})
		var res *Result
		notBuilt(t, filepath.Join(repo, "a"), func() { res = renderWithin(t, "1.25", Options{}, repo) })
		checkRenderErrors(t, repo, res, []wantProblem{{"a/kustomization.yaml", 5, []string{`resources entry "." is the kustomization itself`}}})
		if want := "removed-api " + paths.Display(filepath.Join(repo, "a/ing.yaml")) + ":1 extensions/v1beta1/Ingress"; !contains(findings("1.25", res), want) {
			t.Errorf("%s missing", want)
		}
	})
	t.Run("three overlays and one on top", func(t *testing.T) {
		_, repo := newRepo(t, map[string]string{
			"a/kustomization.yaml": kustHead + "resources:\n  - ../b\n",
			"b/kustomization.yaml": kustHead + "components:\n  - ../c\n",
			"c/kustomization.yaml": kustHead + "resources:\n  - ../a\n  - ing.yaml\n", "c/ing.yaml": ing("c"),
			"top/kustomization.yaml": kustHead + "resources:\n  - ../a\n",
		})
		d := func(s string) string { return paths.Display(filepath.Join(repo, s)) }
		var res *Result
		dirs := built(func() { res = renderWithin(t, "1.25", Options{}, repo) })
		if len(dirs) > 0 {
			t.Errorf("overlays of a cycle handed to Kustomize: %v", dirs)
		}
		checkRenderErrors(t, repo, res, []wantProblem{
			{"c/kustomization.yaml", 4, []string{"overlay " + d("a") + " is not built", d("a") + " -> " + d("b") + " -> " + d("c") + " -> " + d("a")}},
			{"a/kustomization.yaml", 4, []string{"overlay " + d("b") + " is not built", d("b") + " -> " + d("c") + " -> " + d("a") + " -> " + d("b")}},
			{"b/kustomization.yaml", 4, []string{"overlay " + d("c") + " is not built", `components entry "../c" closes a cycle`}},
			{"c/kustomization.yaml", 4, []string{"overlay " + d("top") + " is not built", d("a") + " -> " + d("b") + " -> " + d("c") + " -> " + d("a")}},
		})
		if want := "removed-api " + d("c/ing.yaml") + ":1 extensions/v1beta1/Ingress"; !contains(findings("1.25", res), want) {
			t.Errorf("%s missing", want)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Class 2: helm fields in any spelling are taken over by the Helm path or
// refused; Kustomize never runs helm itself.
func TestKustomizeHelmFieldsNeverRunHelm(t *testing.T) {
	muteStderr(t)
	tests := []struct {
		name, kust string
		want       []wantProblem
	}{
		{"HelmCharts key in another case", "HELMCHARTS:\n  - name: web\n    releaseName: shop\n", nil},
		{"charts through an alias", "metadata:\n  annotations:\n    x: &c web\nhelmCharts:\n  - name: *c\n    releaseName: shop\n", nil},
		{"inflation generator in another case", "HelmChartInflationGenerator:\n  - chartName: web\n    chartRepoUrl: https://example.com/charts\n",
			[]wantProblem{{"app/kustomization.yaml", 4, []string{"helmChartInflationGenerator is not supported"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			marker := fakeTools(t)
			_, repo := newRepo(t, map[string]string{"app/kustomization.yaml": kustHead + tt.kust})
			copyDir(t, kustWebChart, filepath.Join(repo, "app/charts/web"))
			res := renderWithin(t, "1.25", Options{}, repo)
			checkNotExecuted(t, marker)
			checkRenderErrors(t, repo, res, tt.want)
			checkIngress(t, repo, res)
			if tt.want != nil {
				return
			}
			var names []string
			for _, o := range res.Objects {
				if o.Kind == "CronJob" {
					names = append(names, o.Name+"@"+o.Source.Origin)
				}
			}
			if want := "shop-report@" + paths.Display(filepath.Join(repo, "app")); len(names) != 1 || names[0] != want {
				t.Errorf("CronJobs %v, want [%s]", names, want)
			}
		})
	}
}
