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

// A file discovery found as a regular entry is opened without following a
// link: one swapped in after discovery, pointing out of the tree, is not
// read.
func TestReadManifestRefusesLinkSwappedIn(t *testing.T) {
	if noFollow == 0 {
		t.Skip("no O_NOFOLLOW on this platform: files are resolved again where read")
	}
	root, outside := t.TempDir(), t.TempDir()
	secret := filepath.Join(outside, "secret.yaml")
	if err := os.WriteFile(secret, []byte("apiVersion: v1\nkind: Secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(root, "a.yaml")
	if err := os.WriteFile(f, []byte("apiVersion: v1\nkind: ConfigMap\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readManifest(f, root, f, MaxFileSize); err != nil {
		t.Fatalf("regular file: %v", err)
	}
	if err := os.Remove(f); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, f); err != nil {
		t.Fatal(err)
	}
	if data, err := readManifest(f, root, f, MaxFileSize); err == nil {
		t.Fatalf("read %q through a link swapped in after discovery", data)
	}
	// Reached through a link in the first place, it is resolved and refused
	// for leaving the tree.
	if _, err := readManifest(f, root, "", MaxFileSize); err == nil || !strings.Contains(err.Error(), "outside the scanned tree") {
		t.Fatalf("link out of the tree: %v", err)
	}
}
