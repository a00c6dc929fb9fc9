package render

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

func TestRunBrokenInputsAndMissingPaths(t *testing.T) {
	res, err := Run(context.Background(), Options{Paths: []string{"../../testdata/manifests/broken"}})
	if err != nil {
		t.Fatal(err)
	}
	byFile := map[string][]model.Problem{}
	for _, p := range res.Problems {
		byFile[filepath.Base(p.File)] = append(byFile[filepath.Base(p.File)], p)
	}
	if len(byFile["blob.yaml"]) != 1 || !strings.Contains(byFile["blob.yaml"][0].Message, "binary") {
		t.Errorf("binary file: %+v", byFile["blob.yaml"])
	}
	if len(byFile["empty.yaml"]) != 0 {
		t.Errorf("empty file should not be a problem: %+v", byFile["empty.yaml"])
	}
	if len(byFile["middle-document.yaml"]) != 1 || len(res.Objects) != 2 {
		t.Errorf("middle-document: %d problems, %d objects", len(byFile["middle-document.yaml"]), len(res.Objects))
	}

	_, err = Run(context.Background(), Options{Paths: []string{"does/not/exist"}})
	if err == nil || !strings.Contains(err.Error(), "does/not/exist") {
		t.Errorf("missing path: err = %v", err)
	}
}

func TestRunExcludesAndStdin(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, body string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n"
	write("a.yaml", strings.Replace(cm, "%s", "a", 1))
	write("skip/b.yaml", strings.Replace(cm, "%s", "b", 1))
	write("node_modules/c.yaml", strings.Replace(cm, "%s", "c", 1))
	write(".git/d.yaml", strings.Replace(cm, "%s", "d", 1))
	write("e.txt", strings.Replace(cm, "%s", "e", 1))
	res, err := Run(context.Background(), Options{
		Paths: []string{dir, "-"}, Excludes: []string{"skip/**"},
		Stdin: strings.NewReader(strings.Replace(cm, "%s", "stdin", 1)),
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range res.Objects {
		names = append(names, o.Name+"@"+filepath.Base(o.Source.File))
	}
	got := strings.Join(names, ",")
	if got != "stdin@<stdin>,a@a.yaml" && got != "a@a.yaml,stdin@<stdin>" {
		t.Errorf("objects = %s", got)
	}
}
