package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func mustWrite(t *testing.T, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// repo lays out a repository with a config in repo/ and a secret next to it
// (outside the repository).
func repo(t *testing.T) (root, dir string) {
	t.Helper()
	root = t.TempDir()
	dir = filepath.Join(root, "repo")
	mustWrite(t, filepath.Join(root, "secret.yaml"), "token: hunter2\n")
	mustWrite(t, filepath.Join(dir, "ok.yaml"), "a: 1\n")
	mustWrite(t, filepath.Join(dir, "sub", "ok.yaml"), "a: 1\n")
	mustWrite(t, filepath.Join(dir, "web", "Chart.yaml"), "name: web\n")
	mustWrite(t, filepath.Join(root, "elsewhere", "Chart.yaml"), "name: elsewhere\n")
	return root, dir
}

func TestLoadRefusesPathsOutsideConfigDir(t *testing.T) {
	root, dir := repo(t)
	secret := filepath.Join(root, "secret.yaml")
	if err := os.Symlink(secret, filepath.Join(dir, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(root, filepath.Join(dir, "up")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	mustWrite(t, big, "")
	if err := os.Truncate(big, MaxReferencedFileSize+1); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		body string
		want string // after "config <path>"
	}{
		{"targetVersion: \"1.33\"\nvalues: [" + secret + "]\n", `:2: values[0]: "` + secret + `" is an absolute path; paths in a config file must stay inside the config file's directory`},
		{"values:\n  - ok.yaml\n  - ../secret.yaml\n", `:3: values[1]: "../secret.yaml" leaves the config file's directory`},
		{"values: [link.yaml]\n", `:1: values[0]: "link.yaml" is a symlink that resolves outside the config file's directory`},
		{"values: [up/secret.yaml]\n", `:1: values[0]: "up/secret.yaml" is a symlink that resolves outside`},
		{"charts:\n  web:\n    values:\n      - ../../etc/passwd\n", `:4: charts.web.values[0]: "../../etc/passwd" leaves the config file's directory`},
		{"addons: [sub/../../secret.yaml]\n", `:1: addons[0]: "sub/../../secret.yaml" leaves`},
		{"\nbaseline: " + secret + "\n", `:2: baseline: "` + secret + `" is an absolute path`},
		{"baseline: link.yaml\n", `:1: baseline: "link.yaml" is a symlink that resolves outside`},
		{"values: [fifo.yaml]\n", `:1: values[0]: "fifo.yaml" is not a regular file`},
		{"values: [sub]\n", `:1: values[0]: "sub" is not a regular file`},
		{"values: [big.yaml]\n", `:1: values[0]: "big.yaml" is 16777217 bytes, over the 16777216-byte limit`},
		{"values: [missing.yaml]\n", `:1: values[0]: "missing.yaml" does not exist`},
		{"schemaLocations:\n  - https://example.com/{{ .ResourceKind }}.json\n", `:2: schemaLocations[0]: "https://example.com/{{ .ResourceKind }}.json" is a URL: a config file cannot make the scan fetch anything`},
		{"schemaLocations: [HTTP://x/y.json]\n", `:1: schemaLocations[0]: "HTTP://x/y.json" is a URL`},
		{"schemaLocations: [/etc]\n", `:1: schemaLocations[0]: "/etc" is an absolute path`},
		{"schemaLocations: [\"schemas/{{ .Group }}/../../../x.json\"]\n", `:1: schemaLocations[0]: "schemas/{{ .Group }}/../../../x.json" contains ".."`},
		{"schemaLocations: [\"{{ printf \\\"/etc\\\" }}/x.json\"]\n", `:1: schemaLocations[0]: "{{ printf \"/etc\" }}/x.json": only the variables`},
		{"schemaLocations: [\"up/{{ .ResourceKind }}.json\"]\n", `:1: schemaLocations[0]: "up" is a symlink that resolves outside`},
	}
	for _, tt := range tests {
		p := write(t, dir, tt.body)
		c, err := Load(p)
		// A missing file or an unknown template variable is a mistake that
		// stops the scan; everything else is an entry the repository may not
		// have: dropped, and reported as a finding at its line.
		if strings.Contains(tt.want, "does not exist") || strings.Contains(tt.want, "only the variables") {
			if want := "config " + p + tt.want; err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%q:\n got  %v\n want %s", tt.body, err, want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.body, err)
			continue
		}
		var got []string
		for _, pr := range c.Problems {
			if pr.File != filepath.ToSlash(p) || pr.Rule != "parse-error" || !strings.HasSuffix(pr.Message, "; the entry is ignored") {
				t.Errorf("%q: problem %+v", tt.body, pr)
			}
			got = append(got, fmt.Sprintf(":%d: %s", pr.Line, strings.TrimPrefix(pr.Message, "config ")))
		}
		if len(got) != 1 || !strings.Contains(got[0], tt.want) {
			t.Errorf("%q:\n got  %q\n want %s", tt.body, got, tt.want)
		}
		if len(c.Values)+len(c.Addons)+len(c.SchemaLocations) > 1 || c.Baseline != "" {
			t.Errorf("%q: refused entries kept: %+v", tt.body, c)
		}
	}
}

func TestLoadAcceptsPathsInsideConfigDir(t *testing.T) {
	_, dir := repo(t)
	if err := os.Symlink("sub/ok.yaml", filepath.Join(dir, "inner.yaml")); err != nil {
		t.Fatal(err)
	}
	p := write(t, dir, `values: [ok.yaml, inner.yaml, sub/../ok.yaml]
addons: [sub/ok.yaml]
baseline: ok.yaml
charts:
  ../elsewhere: {values: [sub/ok.yaml]}
schemaLocations: [schemas, "crds/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"]
`)
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Values[1] != filepath.Join(dir, "inner.yaml") || c.Baseline != filepath.Join(dir, "ok.yaml") {
		t.Errorf("paths = %v %q", c.Values, c.Baseline)
	}
	if c.SchemaLocations[0] != filepath.Join(dir, "schemas") || !strings.HasPrefix(c.SchemaLocations[1], filepath.Join(dir, "crds")+"/") {
		t.Errorf("schema locations = %v", c.SchemaLocations)
	}
	// A chart key only selects a chart; it is never read.
	if _, ok := c.Charts[filepath.Join(dir, "../elsewhere")]; !ok {
		t.Errorf("charts = %v", c.Charts)
	}
}

func TestLoadReportsBadSettingsWithLine(t *testing.T) {
	dir := t.TempDir()
	for body, want := range map[string]string{
		"targetVersion: \"1.33\"\nfailOn: loud\n":             `:2: failOn: unknown severity "loud"`,
		"\n\ntargetVersion: one.two\n":                        `:3: targetVersion: invalid Kubernetes version "one.two"`,
		"targetVersion: \"1.99\"\n":                           `:1: targetVersion: `,
		"currentVersion: \"2.0\"\n":                           `:1: currentVersion: invalid Kubernetes version "2.0"`,
		"rules:\n  a: on\n  removed-api: {severity: fatal}\n": `:3: rules.removed-api: unknown severity "fatal"`,
		"rules:\n  removed-api: loud\n":                       `:2: rule setting "loud"`,
		"maxFileSize: -1\n":                                   `:1: maxFileSize: must not be negative`,
		"exclude:\n  - ok/**\n  - \"[a-\"\n":                  `:3: exclude[1]: "[a-" is not a valid glob pattern`,
	} {
		p := write(t, dir, body)
		_, err := Load(p)
		if err == nil || !strings.Contains(err.Error(), "config "+p+want) {
			t.Errorf("%q: err = %v, want %q", body, err, "config "+p+want)
		}
	}
}

func TestLoadConfigFileMustBeRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, FileName)
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(fifo); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("fifo config: %v", err)
	}
	big := filepath.Join(dir, "big.yaml")
	mustWrite(t, big, "# "+strings.Repeat("x", maxConfigSize)+"\n")
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "larger than the 1048576-byte limit") {
		t.Errorf("big config: %v", err)
	}
}

// Found in the working directory, the config's directory is ".": paths in
// it are checked the same way.
func TestLoadInWorkingDirectory(t *testing.T) {
	root, dir := repo(t)
	if err := os.Symlink(filepath.Join(root, "secret.yaml"), filepath.Join(dir, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	mustWrite(t, FileName, "values: [ok.yaml, sub/ok.yaml]\nbaseline: ok.yaml\n")
	c, err := Load(Find("."))
	if err != nil || c.Values[0] != "ok.yaml" || c.Values[1] != "sub/ok.yaml" || c.Baseline != "ok.yaml" {
		t.Fatalf("%v %+v", err, c)
	}
	mustWrite(t, FileName, "values: [link.yaml]\n")
	c, err = Load(Find("."))
	if err != nil || len(c.Problems) != 1 || c.Problems[0].File != ".kupgrade-lint.yaml" || c.Problems[0].Line != 1 ||
		c.Problems[0].Message != `config values[0]: "link.yaml" is a symlink that resolves outside the config file's directory; paths in a config file must stay inside it (use --values on the command line for files elsewhere); the entry is ignored` {
		t.Errorf("err = %v, problems %+v", err, c.Problems)
	}
}

// A config file that links out of its directory is not read: its parse
// error would quote the target.
func TestLoadRefusesConfigLinkingOut(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "shadow")
	mustWrite(t, secret, "root:$6$hash:19000:0:99999:7:::\n")
	dir := t.TempDir()
	link := filepath.Join(dir, FileName)
	if err := os.Symlink(secret, link); err != nil {
		t.Fatal(err)
	}
	_, err := Load(link)
	if err == nil || !strings.Contains(err.Error(), "outside the scanned tree") || strings.Contains(err.Error(), "$6$") || strings.Contains(err.Error(), outside) {
		t.Errorf("config linking out: %v", err)
	}
	// Control: the same content inside the directory is read (and fails to
	// parse, quoting it).
	mustWrite(t, link+".copy", "root:$6$hash:19000:0:99999:7:::\n")
	if _, err := Load(link + ".copy"); err == nil || strings.Contains(err.Error(), "outside") {
		t.Errorf("config inside: %v", err)
	}
}
