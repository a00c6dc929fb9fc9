package render

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

const testSecret = "s3cr3t-kupgrade"

// writeTree writes files (slash paths) below dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// mkfifo makes a named pipe (the tool targets Unix; FIFOs are one of the
// attacks these tests build).
func mkfifo(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
}

// webChart is a chart whose ConfigMap carries files/env, as an attacker
// would write it.
var webChart = map[string]string{
	"Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
	"templates/cm.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: web
data:
  env: {{ .Files.Get "files/env" | toJson }}
`,
}

const legacyIngress = `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: legacy
spec:
  backend:
    serviceName: web
    servicePort: 80
`

// safetyRepo builds <tmp>/repo with charts/web and a removed-API plain
// file, and <tmp>/outside with a secret, outside the scanned tree.
func safetyRepo(t *testing.T) (repo, chart, outside string) {
	t.Helper()
	tmp := t.TempDir()
	repo, outside = filepath.Join(tmp, "repo"), filepath.Join(tmp, "outside")
	chart = filepath.Join(repo, "charts", "web")
	writeTree(t, chart, webChart)
	writeTree(t, repo, map[string]string{"legacy-ingress.yaml": legacyIngress, "shared.txt": "shared"})
	writeTree(t, outside, map[string]string{
		"secret.txt":              "KUPGRADE_TEST_SECRET=" + testSecret + "\n",
		"tpl/leak.yaml":           "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: leak}\ndata: {s: " + testSecret + "}\n",
		"dep/Chart.yaml":          "apiVersion: v2\nname: dep\nversion: 0.1.0\n",
		"dep/templates/leak.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dep}\ndata: {s: " + testSecret + "}\n",
	})
	return repo, chart, outside
}

// leaked names the secrets found in the result: the test secret and every
// entry of this process's /proc/self/environ (what files/env would carry;
// it holds the environment the process started with, so t.Setenv alone
// would not put the test secret there).
func leaked(t *testing.T, res *Result) []string {
	t.Helper()
	var all strings.Builder
	for _, o := range res.Objects {
		b, _ := yaml.Marshal(o.Node)
		all.Write(b)
		fmt.Fprintf(&all, "%+v\n", o.Source)
	}
	for _, p := range res.Problems {
		fmt.Fprintf(&all, "%+v\n", p)
	}
	text := all.String()
	secrets := []string{testSecret}
	if env, err := os.ReadFile("/proc/self/environ"); err == nil {
		for _, kv := range strings.Split(string(env), "\x00") {
			// Long entries only: short ones (HOME=/root) could occur by
			// chance.
			if len(kv) >= 16 {
				secrets = append(secrets, kv)
			}
		}
	}
	var out []string
	for _, s := range secrets {
		if strings.Contains(text, s) {
			// Name the variable, not its value, in test output.
			name, _, _ := strings.Cut(s, "=")
			out = append(out, name)
		}
	}
	return out
}

// renderErrors returns the render-error problems as "file:line".
func renderErrors(res *Result) []model.Problem {
	var out []model.Problem
	for _, p := range res.Problems {
		if p.Rule == "render-error" {
			out = append(out, p)
		}
	}
	return out
}

// checkPlainStillDecoded asserts the removed-API Ingress beside the chart
// was read.
func checkPlainStillDecoded(t *testing.T, res *Result, repo string) {
	t.Helper()
	want := filepath.ToSlash(filepath.Join(repo, "legacy-ingress.yaml"))
	for _, o := range res.Objects {
		if o.Source.File == want && o.APIVersion == "extensions/v1beta1" && o.Kind == "Ingress" && o.Source.Line == 1 {
			return
		}
	}
	t.Errorf("the Ingress in %s was not decoded; objects: %d", want, len(res.Objects))
}

func TestHelmRefusesUnsafeChartEntries(t *testing.T) {
	t.Setenv("KUPGRADE_TEST_SECRET", testSecret)
	tests := []struct {
		name  string
		setup func(t *testing.T, repo, chart, outside string)
		file  string   // offending path, relative to the chart
		want  []string // message fragments
	}{
		{
			name: "file link to /proc/self/environ",
			setup: func(t *testing.T, repo, chart, outside string) {
				symlink(t, "/proc/self/environ", filepath.Join(chart, "files", "env"))
			},
			file: "files/env",
			want: []string{"is a symbolic link to a location outside the scanned tree; Helm would read it into the chart"},
		},
		{
			name: "relative ../../ link to a secret outside the repository",
			setup: func(t *testing.T, repo, chart, outside string) {
				symlink(t, "../../../../outside/secret.txt", filepath.Join(chart, "files", "env"))
			},
			file: "files/env",
			want: []string{"outside the scanned tree", "Copy the file into the chart"},
		},
		{
			name: "template linked to /etc/passwd",
			setup: func(t *testing.T, repo, chart, outside string) {
				symlink(t, "/etc/passwd", filepath.Join(chart, "templates", "passwd.yaml"))
			},
			file: "templates/passwd.yaml",
			want: []string{"is a symbolic link to a location outside the scanned tree"},
		},
		{
			name: "templates directory linked outside",
			setup: func(t *testing.T, repo, chart, outside string) {
				if err := os.RemoveAll(filepath.Join(chart, "templates")); err != nil {
					t.Fatal(err)
				}
				symlink(t, filepath.Join(outside, "tpl"), filepath.Join(chart, "templates"))
			},
			file: "templates",
			want: []string{"is a symbolic link to a location outside the scanned tree"},
		},
		{
			name: "subchart linked outside the repository",
			setup: func(t *testing.T, repo, chart, outside string) {
				symlink(t, "../../../../outside/dep", filepath.Join(chart, "charts", "dep"))
			},
			file: "charts/dep",
			want: []string{"is a symbolic link to a location outside the scanned tree"},
		},
		{
			name: "link inside the repository but outside the chart",
			setup: func(t *testing.T, repo, chart, outside string) {
				symlink(t, "../../../shared.txt", filepath.Join(chart, "files", "env"))
			},
			file: "files/env",
			want: []string{"is a symbolic link to {repo}/shared.txt, outside the chart directory"},
		},
		{
			name: "crd linked to /dev/zero",
			setup: func(t *testing.T, repo, chart, outside string) {
				symlink(t, "/dev/zero", filepath.Join(chart, "crds", "x.yaml"))
			},
			file: "crds/x.yaml",
			want: []string{"is a symbolic link to a location outside the scanned tree"},
		},
		{
			name: "FIFO in crds",
			setup: func(t *testing.T, repo, chart, outside string) {
				mkfifo(t, filepath.Join(chart, "crds", "x.yaml"))
			},
			file: "crds/x.yaml",
			want: []string{"is a named pipe (FIFO); only regular files and directories are read"},
		},
		{
			name: "FIFO in templates",
			setup: func(t *testing.T, repo, chart, outside string) {
				mkfifo(t, filepath.Join(chart, "templates", "pipe.yaml"))
			},
			file: "templates/pipe.yaml",
			want: []string{"is a named pipe (FIFO)"},
		},
		{
			name: "in-chart link to a FIFO",
			setup: func(t *testing.T, repo, chart, outside string) {
				mkfifo(t, filepath.Join(chart, "files", "pipe"))
				symlink(t, "../files/pipe", filepath.Join(chart, "templates", "a.yaml"))
			},
			// files/ sorts before templates/: the FIFO itself is found first.
			file: "files/pipe",
			want: []string{"is a named pipe (FIFO)"},
		},
		{
			name: "symlink loop between two links",
			setup: func(t *testing.T, repo, chart, outside string) {
				symlink(t, "b", filepath.Join(chart, "files", "a"))
				symlink(t, "a", filepath.Join(chart, "files", "b"))
			},
			file: "files/a",
			want: []string{"is a symbolic link loop"},
		},
		{
			name: "directory link to its own parent",
			setup: func(t *testing.T, repo, chart, outside string) {
				symlink(t, "..", filepath.Join(chart, "templates", "loop"))
			},
			file: "templates/loop",
			want: []string{"is a symbolic link loop (it links to {chart}, a directory that contains it)"},
		},
		{
			name: "dangling link",
			setup: func(t *testing.T, repo, chart, outside string) {
				symlink(t, "nowhere", filepath.Join(chart, "files", "env"))
			},
			file: "files/env",
			want: []string{"whose target cannot be resolved"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo, chart, outside := safetyRepo(t)
			tt.setup(t, repo, chart, outside)
			res := render(t, "1.33", Options{}, repo)
			if l := leaked(t, res); len(l) > 0 {
				t.Errorf("secrets in the result: %s", strings.Join(l, ", "))
			}
			errs := renderErrors(res)
			wantFile := filepath.ToSlash(filepath.Join(chart, filepath.FromSlash(tt.file)))
			if len(errs) != 1 || errs[0].File != wantFile || errs[0].Line != 0 || errs[0].Origin != filepath.ToSlash(chart) {
				t.Fatalf("render errors %+v, want one at %s:0", errs, wantFile)
			}
			for _, w := range tt.want {
				w = strings.NewReplacer("{repo}", filepath.ToSlash(repo), "{chart}", filepath.ToSlash(chart)).Replace(w)
				if !strings.Contains(errs[0].Message, w) {
					t.Errorf("message %q lacks %q", errs[0].Message, w)
				}
			}
			if !strings.Contains(errs[0].Message, wantFile) {
				t.Errorf("message %q does not name %s", errs[0].Message, wantFile)
			}
			for _, o := range res.Objects {
				if o.Source.Kind == model.SourceHelm {
					t.Errorf("refused chart produced %s/%s from %s", o.Kind, o.Name, o.Source.File)
				}
			}
			checkPlainStillDecoded(t, res, repo)
		})
	}
}

// The guard must not get in the way of charts that link within themselves
// or whose outside links Helm ignores anyway.
func TestHelmAcceptsSafeLinks(t *testing.T) {
	repo, chart, outside := safetyRepo(t)
	writeTree(t, chart, map[string]string{
		"shared/a.yaml": "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: shared\n",
		"files/real":    "fine",
		".helmignore":   "ignored-link\n",
	})
	symlink(t, "../shared/a.yaml", filepath.Join(chart, "templates", "a.yaml"))
	symlink(t, "real", filepath.Join(chart, "files", "env"))
	// Helm never reads ignored entries, so neither does the guard.
	symlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(chart, "ignored-link"))
	res := render(t, "1.33", Options{}, repo)
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	byFile := objectsByFile(res)
	a := byFile[filepath.ToSlash(filepath.Join(chart, "templates", "a.yaml"))]
	if len(a) != 1 || a[0].APIVersion != "batch/v1beta1" || a[0].Source.Line != 1 {
		t.Errorf("linked template: %+v", a)
	}
	cm := byFile[filepath.ToSlash(filepath.Join(chart, "templates", "cm.yaml"))]
	if len(cm) != 1 {
		t.Fatalf("ConfigMap: %+v", cm)
	}
	if b, _ := yaml.Marshal(cm[0].Node); !strings.Contains(string(b), `env: "fine"`) {
		t.Errorf("files/env through an in-chart link: %s", b)
	}
	checkPlainStillDecoded(t, res, repo)
}

func TestHelmRefusesOversizedCharts(t *testing.T) {
	t.Run("file", func(t *testing.T) {
		repo, chart, _ := safetyRepo(t)
		writeTree(t, chart, map[string]string{"files/big": strings.Repeat("x", 5000)})
		res := render(t, "1.33", Options{MaxFileSize: 4096}, repo)
		errs := renderErrors(res)
		want := filepath.ToSlash(filepath.Join(chart, "files", "big"))
		if len(errs) != 1 || errs[0].File != want || !strings.Contains(errs[0].Message, "is 5000 bytes, larger than the 4096-byte limit") {
			t.Fatalf("render errors %+v, want %s too large", errs, want)
		}
		checkPlainStillDecoded(t, res, repo)
	})
	t.Run("total", func(t *testing.T) {
		repo, chart, _ := safetyRepo(t)
		for i := 0; i < 6; i++ {
			writeTree(t, chart, map[string]string{fmt.Sprintf("files/part%d", i): strings.Repeat("x", 4000)})
		}
		res := render(t, "1.33", Options{MaxFileSize: 4096}, repo)
		errs := renderErrors(res)
		want := filepath.ToSlash(filepath.Join(chart, "Chart.yaml"))
		if len(errs) != 1 || errs[0].File != want || !strings.Contains(errs[0].Message, "holds more than 16384 bytes") {
			t.Fatalf("render errors %+v, want chart too large at %s", errs, want)
		}
	})
}

// tgz builds a gzipped tar of files (name -> content), in order.
func tgz(t *testing.T, files ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Name: f[0], Mode: 0o644, Size: int64(len(f[1])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestHelmRefusesArchiveBombs(t *testing.T) {
	const limit = 1 << 20 // 1 MiB files, 4 MiB charts
	zeros := strings.Repeat("\x00", 900<<10)
	bombFiles := [][2]string{{"bomb/Chart.yaml", "apiVersion: v2\nname: bomb\nversion: 0.1.0\n"}}
	for i := 0; i < 8; i++ {
		bombFiles = append(bombFiles, [2]string{fmt.Sprintf("bomb/files/z%d", i), zeros})
	}
	bomb := tgz(t, bombFiles...)
	if len(bomb) > 64<<10 {
		t.Fatalf("bomb is %d bytes compressed", len(bomb))
	}
	t.Run("packaged chart", func(t *testing.T) {
		repo, _, _ := safetyRepo(t)
		p := filepath.Join(repo, "bomb-0.1.0.tgz")
		if err := os.WriteFile(p, bomb, 0o644); err != nil {
			t.Fatal(err)
		}
		res := render(t, "1.33", Options{MaxFileSize: limit}, repo)
		var got []model.Problem
		for _, e := range renderErrors(res) {
			if e.File == filepath.ToSlash(p) {
				got = append(got, e)
			}
		}
		if len(got) != 1 || !strings.Contains(got[0].Message, "unpacks to more than 4194304 bytes") {
			t.Fatalf("render errors %+v", renderErrors(res))
		}
		checkPlainStillDecoded(t, res, repo)
	})
	t.Run("subchart archive", func(t *testing.T) {
		repo, chart, _ := safetyRepo(t)
		p := filepath.Join(chart, "charts", "bomb-0.1.0.tgz")
		writeTree(t, chart, map[string]string{"charts/bomb-0.1.0.tgz": string(bomb)})
		res := render(t, "1.33", Options{MaxFileSize: limit}, repo)
		errs := renderErrors(res)
		if len(errs) != 1 || errs[0].File != filepath.ToSlash(p) || !strings.Contains(errs[0].Message, "subchart archive "+filepath.ToSlash(p)+" unpacks to more than") {
			t.Fatalf("render errors %+v", errs)
		}
	})
	t.Run("nested subchart archives", func(t *testing.T) {
		// Each level is small; together they unpack past the limit.
		inner := tgz(t, [2]string{"inner/Chart.yaml", "apiVersion: v2\nname: inner\nversion: 0.1.0\n"}, [2]string{"inner/files/z", zeros}, [2]string{"inner/files/y", zeros})
		outer := tgz(t, [2]string{"outer/Chart.yaml", "apiVersion: v2\nname: outer\nversion: 0.1.0\n"},
			[2]string{"outer/charts/a-0.1.0.tgz", string(inner)}, [2]string{"outer/charts/b-0.1.0.tgz", string(inner)}, [2]string{"outer/charts/c-0.1.0.tgz", string(inner)})
		repo, _, _ := safetyRepo(t)
		p := filepath.Join(repo, "outer-0.1.0.tgz")
		if err := os.WriteFile(p, outer, 0o644); err != nil {
			t.Fatal(err)
		}
		res := render(t, "1.33", Options{MaxFileSize: limit}, repo)
		found := false
		for _, e := range renderErrors(res) {
			found = found || (e.File == filepath.ToSlash(p) && strings.Contains(e.Message, "unpacks to more than 4194304 bytes"))
		}
		if !found {
			t.Fatalf("render errors %+v", renderErrors(res))
		}
	})
}

func TestHelmValuesFilesMustBeRegular(t *testing.T) {
	repo, chart, _ := safetyRepo(t)
	link := filepath.Join(repo, "zero-values.yaml")
	symlink(t, "/dev/zero", link)
	pipe := filepath.Join(repo, "pipe-values.yaml")
	mkfifo(t, pipe)
	for _, f := range []string{link, pipe} {
		res := render(t, "1.33", Options{Helm: HelmOptions{ValuesFiles: []string{f}}}, chart)
		errs := renderErrors(res)
		if len(errs) != 1 || errs[0].File != filepath.ToSlash(filepath.Join(chart, "Chart.yaml")) ||
			!strings.Contains(errs[0].Message, "values file "+filepath.ToSlash(f)+": is not a regular file") {
			t.Errorf("%s: render errors %+v", f, errs)
		}
	}
	big := filepath.Join(repo, "big-values.yaml")
	writeTree(t, repo, map[string]string{"big-values.yaml": "a: " + strings.Repeat("x", 5000) + "\n"})
	res := render(t, "1.33", Options{MaxFileSize: 4096, Helm: HelmOptions{ValuesFiles: []string{big}}}, chart)
	if errs := renderErrors(res); len(errs) != 1 || !strings.Contains(errs[0].Message, "larger than the 4096-byte limit") {
		t.Errorf("big values file: %+v", errs)
	}
}

func TestHelmCIValuesBothNamingConventions(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"Chart.yaml":            "apiVersion: v2\nname: ci\nversion: 0.1.0\n",
		"values.yaml":           "tag: base\n",
		"templates/cm.yaml":     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{{ .Values.tag }}\n",
		"ci/a-values.yaml":      "tag: a\n",
		"ci/values-b.yaml":      "tag: b\n",
		"ci/values-values.yaml": "tag: both\n", // named twice over: rendered once
		"ci/prod.values.yml":    "tag: yml\n",
		"ci/other.yaml":         "tag: other\n",
	})
	res := render(t, "1.33", Options{Helm: HelmOptions{CIValues: true}}, dir)
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	var names []string
	for _, o := range res.Objects {
		names = append(names, o.Name)
	}
	if got := strings.Join(names, " "); got != "cm-base cm-a cm-yml cm-b cm-both" {
		t.Errorf("rendered %s, want cm-base cm-a cm-yml cm-b cm-both", got)
	}
}

// Before any chart renders, the CRDs of all charts are collected (for
// .Capabilities); a FIFO or /dev/zero there must not block that either.
func TestHelmUnsafeCRDsDoNotBlockOtherCharts(t *testing.T) {
	repo, chart, _ := safetyRepo(t)
	mkfifo(t, filepath.Join(chart, "crds", "pipe.yaml"))
	symlink(t, "/dev/zero", filepath.Join(chart, "crds", "zero.yaml"))
	good := filepath.Join(repo, "charts", "good")
	writeTree(t, good, map[string]string{
		"Chart.yaml":        "apiVersion: v2\nname: good\nversion: 0.1.0\n",
		"templates/cj.yaml": "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: good\n",
	})
	done := make(chan *Result, 1)
	go func() { done <- render(t, "1.33", Options{}, repo) }()
	var res *Result
	select {
	case res = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("rendering blocked on a FIFO or device in crds/")
	}
	errs := renderErrors(res)
	if len(errs) != 1 || errs[0].File != filepath.ToSlash(filepath.Join(chart, "crds", "pipe.yaml")) {
		t.Errorf("render errors %+v", errs)
	}
	cj := objectsByFile(res)[filepath.ToSlash(filepath.Join(good, "templates", "cj.yaml"))]
	if len(cj) != 1 || cj[0].Source.Line != 1 {
		t.Errorf("good chart objects: %+v", cj)
	}
	checkPlainStillDecoded(t, res, repo)
}

// /proc/self/environ holds the environment a process started with, so the
// secret is put there by running this test binary again with it set.
func TestHelmEnvironLinkInChildProcess(t *testing.T) {
	if dir := os.Getenv("KUPGRADE_TEST_ENVIRON_REPO"); dir != "" {
		res := render(t, "1.33", Options{}, dir)
		for _, o := range res.Objects {
			b, _ := yaml.Marshal(o.Node)
			fmt.Printf("object %s\n%s", o.Source.File, b)
		}
		for _, p := range res.Problems {
			fmt.Printf("problem %+v\n", p)
		}
		return
	}
	repo, chart, _ := safetyRepo(t)
	symlink(t, "/proc/self/environ", filepath.Join(chart, "files", "env"))
	// Helm's fail puts its argument into the error, hence the report.
	failing := filepath.Join(repo, "charts", "failing")
	writeTree(t, failing, map[string]string{
		"Chart.yaml":          "apiVersion: v2\nname: failing\nversion: 0.1.0\n",
		"templates/fail.yaml": `{{ fail (.Files.Get "files/env" | replace "\x00" " ") }}` + "\n",
	})
	symlink(t, "/proc/self/environ", filepath.Join(failing, "files", "env"))
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelmEnvironLinkInChildProcess$", "-test.count=1", "-test.timeout=60s")
	cmd.Env = append(os.Environ(), "KUPGRADE_TEST_ENVIRON_REPO="+repo, "KUPGRADE_TEST_SECRET="+testSecret)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	if strings.Contains(string(out), testSecret) {
		t.Errorf("the secret from /proc/self/environ is in the result")
	}
	wantProblem := "File:" + filepath.ToSlash(filepath.Join(chart, "files", "env")) + " Line:0"
	wantFail := "File:" + filepath.ToSlash(filepath.Join(failing, "files", "env")) + " Line:0"
	if !strings.Contains(string(out), wantProblem) || !strings.Contains(string(out), wantFail) || !strings.Contains(string(out), "object "+filepath.ToSlash(filepath.Join(repo, "legacy-ingress.yaml"))) {
		// Problems only: objects could carry the environment.
		var probs []string
		for _, l := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(l, "problem ") {
				probs = append(probs, l)
			}
		}
		t.Errorf("child output lacks the refusal at files/env or the plain Ingress; problems:\n%s", strings.Join(probs, "\n"))
	}
}
