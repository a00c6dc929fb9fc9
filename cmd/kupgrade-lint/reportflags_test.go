package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// sarifURIs runs a scan and returns each result's artifact URI and base.
func sarifURIs(t *testing.T, args ...string) ([]string, map[string]any) {
	t.Helper()
	code, out, errOut := runCLI(t, "", append([]string{"scan", "--target-version", "1.29", "--fail-on", "none", "--format", "sarif"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var l struct {
		Runs []struct {
			OriginalURIBaseIDs map[string]any `json:"originalUriBaseIds"`
			Results            []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatal(err)
	}
	var uris []string
	for _, r := range l.Runs[0].Results {
		a := r.Locations[0].PhysicalLocation.ArtifactLocation
		uris = append(uris, a.URIBaseID+" "+a.URI)
	}
	return uris, l.Runs[0].OriginalURIBaseIDs
}

// fixtureAll is absolute so tests can read it after changing directory.
var fixtureAll, _ = filepath.Abs("../../testdata/report/repo/deploy/all.yaml")

// gitRepo makes a repository (a .git directory is all the root search
// needs) holding the report fixture's multi-document file.
func gitRepo(t *testing.T, gitFile bool) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "repo")
	if err := os.MkdirAll(filepath.Join(root, "deploy"), 0o755); err != nil {
		t.Fatal(err)
	}
	if gitFile {
		// A linked worktree: .git is a file naming the real git dir.
		if err := os.WriteFile(filepath.Join(root, ".git"), []byte("gitdir: /elsewhere/.git/worktrees/x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(fixtureAll)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "deploy", "all.yaml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestRepositoryRelativePaths(t *testing.T) {
	want := "%SRCROOT% deploy/all.yaml"
	check := func(name string, uris []string, base map[string]any, root string) {
		t.Helper()
		if len(uris) < 3 {
			t.Errorf("%s: %d results, want the 3 API findings at least: %v", name, len(uris), uris)
		}
		for _, u := range uris {
			if u != want {
				t.Errorf("%s: result at %q, want %q", name, u, want)
			}
		}
		rootURI, _ := base["%SRCROOT%"].(map[string]any)
		if rootURI["uri"] != "file://"+root+"/" {
			t.Errorf("%s: originalUriBaseIds = %v, want file://%s/", name, base, root)
		}
	}
	for _, gitFile := range []bool{false, true} {
		root := gitRepo(t, gitFile)
		// From a subdirectory of the repository.
		t.Chdir(filepath.Join(root, "deploy"))
		uris, base := sarifURIs(t, ".")
		check("subdirectory", uris, base, root)
		uris, base = sarifURIs(t, "all.yaml")
		check("subdirectory file", uris, base, root)
		// From outside, with an absolute path.
		t.Chdir(t.TempDir())
		uris, base = sarifURIs(t, filepath.Join(root, "deploy"))
		check("absolute path", uris, base, root)
	}
}

func TestRootFlagAndOutsideFiles(t *testing.T) {
	root := gitRepo(t, false)
	outside := filepath.Join(t.TempDir(), "x.yaml")
	b, _ := os.ReadFile(filepath.Join(root, "deploy", "all.yaml"))
	if err := os.WriteFile(outside, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	// The scanned file has no work tree of its own: the working directory's
	// repository is the root and the file is outside it.
	uris, _ := sarifURIs(t, outside)
	for _, u := range uris {
		if u != " file://"+outside {
			t.Errorf("outside file at %q, want an absolute file:// URI without a base", u)
		}
	}
	// --root overrides the search.
	uris, _ = sarifURIs(t, "--root", "deploy", "deploy/all.yaml")
	if len(uris) == 0 || uris[0] != "%SRCROOT% all.yaml" {
		t.Errorf("--root deploy: %v", uris)
	}
	code, _, errOut := runCLI(t, "", "scan", "--target-version", "1.29", "--root", "nope", ".")
	if code != 2 || !strings.Contains(errOut, "--root nope: not a directory") {
		t.Errorf("--root nope: exit %d %q", code, errOut)
	}
}

func TestMinSeverityFlag(t *testing.T) {
	file := "../../testdata/report/repo/deploy/all.yaml"
	code, out, _ := runCLI(t, "", "scan", "--target-version", "1.29", "--no-color", "--min-severity", "error", file)
	// Exit code still follows --fail-on (error): the removed APIs fail.
	if code != 1 || strings.Contains(out, "deprecated-api") || !strings.Contains(out, "removed-api") || !strings.Contains(out, "below --min-severity error, not shown") {
		t.Errorf("--min-severity error: exit %d\n%s", code, out)
	}
	// Hiding everything that fails does not make the scan pass.
	code, _, _ = runCLI(t, "", "scan", "--target-version", "1.29", "--fail-on", "warning", "--min-severity", "error", file)
	if code != 1 {
		t.Errorf("exit %d with hidden warnings at --fail-on warning, want 1", code)
	}
	code, _, errOut := runCLI(t, "", "scan", "--target-version", "1.29", "--min-severity", "loud", file)
	if code != 2 || !strings.Contains(errOut, "--min-severity") {
		t.Errorf("--min-severity loud: exit %d %q", code, errOut)
	}
}

func TestVersionCommand(t *testing.T) {
	code, out, _ := runCLI(t, "", "version")
	for _, want := range []string{"kupgrade-lint ", "\ncommit: ", "\ndate: ", "\nKubernetes API data: 1."} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("version: exit %d, lacks %q\n%s", code, want, out)
		}
	}
	code, out, _ = runCLI(t, "", "version", "--output", "json")
	var b buildInfo
	if err := json.Unmarshal([]byte(out), &b); code != 0 || err != nil || b.Version == "" || b.Commit == "" || b.Date == "" || b.KubernetesNewest == "" {
		t.Errorf("version --output json: exit %d %v %+v\n%s", code, err, b, out)
	}
	if code, _, errOut := runCLI(t, "", "version", "--output", "yaml"); code != 2 || !strings.Contains(errOut, "want text or json") {
		t.Errorf("version --output yaml: exit %d %q", code, errOut)
	}

	// The VCS stamps Go records, and ldflags over them.
	bi := &debug.BuildInfo{GoVersion: "go1.26.0", Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-11-30T12:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	got := currentBuild(bi, true)
	if got.Commit != "0123456789abcdef0123456789abcdef01234567" || got.Date != "2026-11-30T12:00:00Z" || !got.Modified || got.GoVersion != "go1.26.0" {
		t.Errorf("from build info: %+v", got)
	}
	commit, date = "feedbeef", "2026-01-02T03:04:05Z"
	defer func() { commit, date = "", "" }()
	if got := currentBuild(bi, true); got.Commit != "feedbeef" || got.Date != "2026-01-02T03:04:05Z" || got.Modified {
		t.Errorf("ldflags: %+v", got)
	}
	commit, date = "", ""
	for v, want := range map[string]string{
		"v0.0.0-20261130160136-44dbfda62fde":              "44dbfda62fde 2026-11-30T16:01:36Z",
		"v0.4.1-0.20261130160136-44dbfda62fde":            "44dbfda62fde 2026-11-30T16:01:36Z",
		"v2.0.0-20261130160136-44dbfda62fde+incompatible": "44dbfda62fde 2026-11-30T16:01:36Z",
		"v0.4.0":  "unknown unknown",
		"(devel)": "unknown unknown",
	} {
		got := currentBuild(&debug.BuildInfo{Main: debug.Module{Version: v}}, true)
		if got.Commit+" "+got.Date != want {
			t.Errorf("module version %s: commit %q date %q, want %s", v, got.Commit, got.Date, want)
		}
	}
	if got := currentBuild(nil, false); got.Commit != "unknown" || got.Date != "unknown" {
		t.Errorf("no build info: %+v", got)
	}
}
