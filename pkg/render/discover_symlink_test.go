package render

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
)

func cmYAML(name string) string {
	return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + "}\n"
}

func mustWriteFile(t *testing.T, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// runWithTimeout runs discovery and decoding; nothing in it may block.
func runWithTimeout(t *testing.T, opts Options) *Result {
	t.Helper()
	type out struct {
		res *Result
		err error
	}
	done := make(chan out, 1)
	go func() {
		res, err := Run(context.Background(), opts)
		done <- out{res, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			t.Fatal(o.err)
		}
		return o.res
	case <-time.After(60 * time.Second):
		t.Fatal("Run blocked")
	}
	return nil
}

func symlinkObjects(res *Result) []string {
	var out []string
	for _, o := range res.Objects {
		out = append(out, o.Source.File+"="+o.Name)
	}
	sort.Strings(out)
	return out
}

func problemLines(res *Result) []string {
	var out []string
	for _, p := range res.Problems {
		loc := p.File
		if p.Line > 0 {
			loc += ":" + strconv.Itoa(p.Line)
		}
		out = append(out, loc+": "+p.Message)
	}
	sort.Strings(out)
	return out
}

func TestDiscoverSymlinkedRoot(t *testing.T) {
	tmp := t.TempDir()
	mustWriteFile(t, filepath.Join(tmp, "real", "web.yaml"), cmYAML("web"))
	mustWriteFile(t, filepath.Join(tmp, "real", "sub", "db.yaml"), cmYAML("db"))
	mustSymlink(t, "real", filepath.Join(tmp, "deploy"))
	mustSymlink(t, filepath.Join(tmp, "deploy"), filepath.Join(tmp, "deploy2")) // a chain
	t.Chdir(tmp)
	for _, arg := range []string{"deploy", "./deploy/", "deploy2", filepath.Join(tmp, "deploy")} {
		res := runWithTimeout(t, Options{Paths: []string{arg}})
		prefix := paths.Display(arg)
		want := []string{prefix + "/sub/db.yaml=db", prefix + "/web.yaml=web"}
		if got := symlinkObjects(res); strings.Join(got, " ") != strings.Join(want, " ") || len(res.Problems) != 0 {
			t.Errorf("scan %s: objects %v problems %v, want %v", arg, got, res.Problems, want)
		}
	}
}

func TestSymlinksInsideAndOutsideTheTree(t *testing.T) {
	tmp := t.TempDir()
	outside := filepath.Join(tmp, "outside")
	mustWriteFile(t, filepath.Join(outside, "secret.yaml"), cmYAML("secret"))
	root := filepath.Join(tmp, "repo")
	mustWriteFile(t, filepath.Join(root, "a.yaml"), cmYAML("a"))
	mustWriteFile(t, filepath.Join(root, "hidden", "b.txt"), cmYAML("b"))
	mustWriteFile(t, filepath.Join(root, "shared", "c.yaml"), cmYAML("c"))
	mustWriteFile(t, filepath.Join(root, "vendor", "v.yaml"), cmYAML("v"))
	mustWriteFile(t, filepath.Join(root, "legacy", "l.yaml"), cmYAML("l"))
	mustSymlink(t, "a.yaml", filepath.Join(root, "link-a.yaml"))       // same file twice: scanned once
	mustSymlink(t, "hidden/b.txt", filepath.Join(root, "b.yaml"))      // only reachable through the link
	mustSymlink(t, "../shared", filepath.Join(root, "apps", "shared")) // directory inside: deduplicated
	mustSymlink(t, "../vendor", filepath.Join(root, "apps", "vend"))   // skipped directory stays skipped
	mustSymlink(t, "../legacy", filepath.Join(root, "apps", "old"))    // excluded directory stays excluded
	mustSymlink(t, "..", filepath.Join(root, "apps", "loop"))          // loop
	mustSymlink(t, "self.yaml", filepath.Join(root, "self.yaml"))      // link to itself
	mustSymlink(t, "gone.yaml", filepath.Join(root, "dangling.yaml"))  // missing target
	mustSymlink(t, "../outside/secret.yaml", filepath.Join(root, "out.yaml"))
	mustSymlink(t, outside, filepath.Join(root, "outdir"))
	mustSymlink(t, "/dev/zero", filepath.Join(root, "zero.yaml"))
	mustSymlink(t, "/etc/hostname", filepath.Join(root, "README")) // not a manifest: ignored
	if err := syscall.Mkfifo(filepath.Join(root, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustSymlink(t, "pipe", filepath.Join(root, "pipe.yaml"))
	if err := syscall.Mkfifo(filepath.Join(root, "fifo.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(tmp)
	res := runWithTimeout(t, Options{Paths: []string{"repo"}, Excludes: []string{"legacy/**"}})
	wantObjs := []string{"repo/a.yaml=a", "repo/b.yaml=b", "repo/shared/c.yaml=c"}
	if got := symlinkObjects(res); strings.Join(got, " ") != strings.Join(wantObjs, " ") {
		t.Errorf("objects:\n got  %v\n want %v", got, wantObjs)
	}
	wantProbs := []string{
		"repo/dangling.yaml: symlink cannot be resolved (its target is missing, or it is a loop); not followed",
		"repo/fifo.yaml: not a regular file: a named pipe (FIFO); not read",
		"repo/out.yaml: symlink points outside the scanned tree; not followed (scan its target as its own path if it should be checked)",
		"repo/outdir: symlink points outside the scanned tree; not followed (scan its target as its own path if it should be checked)",
		"repo/pipe.yaml: symlink to repo/pipe, which is a named pipe (FIFO); not read",
		"repo/self.yaml: symlink cannot be resolved (its target is missing, or it is a loop); not followed",
		"repo/zero.yaml: symlink points outside the scanned tree; not followed (scan its target as its own path if it should be checked)",
	}
	if got := problemLines(res); strings.Join(got, "\n") != strings.Join(wantProbs, "\n") {
		t.Errorf("problems:\n got  %s\n want %s", strings.Join(got, "\n      "), strings.Join(wantProbs, "\n      "))
	}
	for _, p := range res.Problems {
		if strings.Contains(p.Message, tmp) || strings.Contains(p.Message, "outside/secret") || strings.Contains(p.Message, "/dev/zero") {
			t.Errorf("problem reveals a target outside the tree: %+v", p)
		}
		if p.Rule != "parse-error" {
			t.Errorf("rule %q, want parse-error", p.Rule)
		}
	}
}

// decodeFile reads only regular files inside the unit's tree, whatever the
// path has become since discovery.
func TestDecodeFileRefusesNonRegularAndEscapes(t *testing.T) {
	tmp := t.TempDir()
	root := filepath.Join(tmp, "repo")
	fifo := filepath.Join(root, "x.yaml")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	mustWriteFile(t, filepath.Join(tmp, "secret.yaml"), cmYAML("secret"))
	mustSymlink(t, "../secret.yaml", filepath.Join(root, "swapped.yaml"))
	mustWriteFile(t, filepath.Join(root, "big.yaml"), cmYAML("big")+strings.Repeat("# pad\n", 100))
	tests := []struct{ name, want string }{
		{"x.yaml", "not a regular file: a named pipe (FIFO); not read"},
		{"swapped.yaml", "file resolves outside the scanned tree; not read"},
		{"big.yaml", "file is 653 bytes, larger than the 100-byte limit; not scanned (raise maxFileSize in .kupgrade-lint.yaml or exclude it)"},
		{"missing.yaml", "cannot read file: no such file or directory"},
	}
	for _, tt := range tests {
		u := unit{kind: model.SourcePlain, path: "repo/" + tt.name, fs: filepath.Join(root, tt.name), root: paths.ScanRoot(root)}
		done := make(chan []model.Problem, 1)
		go func() { _, probs := decodeFile(u, Options{MaxFileSize: 100}); done <- probs }()
		select {
		case probs := <-done:
			if len(probs) != 1 || probs[0].Message != tt.want || probs[0].File != "repo/"+tt.name {
				t.Errorf("%s: %+v, want %q", tt.name, probs, tt.want)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: decodeFile blocked", tt.name)
		}
	}
}

func utf16Bytes(s string, order binary.AppendByteOrder, bom bool) []byte {
	var out []byte
	if bom {
		out = order.AppendUint16(out, 0xFEFF)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		out = order.AppendUint16(out, u)
	}
	return out
}

func TestDecodeUTF16AndBOMManifests(t *testing.T) {
	tmp := t.TempDir()
	body := "# ünïcødé comment\r\n" + cmYAML("first") + "---\n" + cmYAML("second") + "data:\n  k: [unclosed\n"
	files := map[string][]byte{
		"le.yaml":    utf16Bytes(body, binary.LittleEndian, true),
		"be.yaml":    utf16Bytes(body, binary.BigEndian, true),
		"utf8.yaml":  append([]byte{0xEF, 0xBB, 0xBF}, body...),
		"plain.yaml": []byte(body),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(tmp)
	res := runWithTimeout(t, Options{Paths: []string{"."}})
	got := map[string][]string{}
	for _, o := range res.Objects {
		got[o.Source.File] = append(got[o.Source.File], o.Name+"@"+itoa(o.Source.Line))
	}
	for name := range files {
		if strings.Join(got[name], " ") != "first@2" {
			t.Errorf("%s: objects %v, want [first@2]", name, got[name])
		}
	}
	probs := problemLines(res)
	for name := range files {
		// The broken second document is reported at the same line as in
		// the plain UTF-8 file (line 9, "data:").
		want := name + ": invalid YAML in document 2: "
		found := false
		for _, p := range res.Problems {
			if p.File == name && p.Line == 9 && strings.HasPrefix(p.File+": "+p.Message, want) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no problem at line 9; problems: %v", name, probs)
		}
	}
	for _, p := range res.Problems {
		if strings.Contains(p.Message, "binary") {
			t.Errorf("decoded file called binary: %+v", p)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
