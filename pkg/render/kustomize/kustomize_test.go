package kustomize

import "testing"

func TestPathLooksRemote(t *testing.T) {
	tests := []struct {
		ref  string
		want bool
	}{
		{"https://raw.githubusercontent.com/org/repo/main/deploy.yaml", true},
		{"http://example.com/x.yaml", true},
		{"HTTPS://example.com/x.yaml", true},
		{"github.com/org/repo//deploy/base?ref=v1", true},
		{"github.com/org/repo/deploy", true},
		{"GitHub.com/org/repo", true},
		{"git@github.com:org/repo.git//base", true},
		{"user@host:repo.git", true},
		{"deploy@2130706433:org/repo.git", true},
		{"x@host.com:repo.yaml/sub", true},
		{"x@host.com/org/repo", true},
		{"git::https://example.com/repo.git", true},
		{"Git::https://example.com/repo.git", true},
		{"GIT::git@host:repo", true},
		{"gh:org/repo", true},
		{"ssh://git@example.com/repo.git", true},
		{"file:///srv/repo.git", true},
		{"oci://registry.example.com/base", true},
		{"example.com/org/repo?ref=main", true},
		{"https://dev.azure.com/org/project/_git/repo", true},
		{"../../base", false},
		{"deployment.yaml", false},
		{"./patches/probe.yaml", false},
		{"missing/local/dir", false},
		{"app/base", false},
		{"configs/app.env", false},
	}
	for _, tt := range tests {
		if got := pathLooksRemote(tt.ref); got != tt.want {
			t.Errorf("pathLooksRemote(%q) = %v, want %v", tt.ref, got, tt.want)
		}
	}
}

func TestAnnotateSources(t *testing.T) {
	in := "# comment\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n  annotations:\n    x: y\n---\nnot: an object\n"
	out := string(annotateSources([]byte(in), "/r/f.yaml"))
	want := "---\n# comment\napiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: a\n    annotations:\n        " + sourceKey + ": /r/f.yaml#0\n" +
		"---\napiVersion: v1\nkind: Secret\nmetadata:\n    name: b\n    annotations:\n        x: y\n        " + sourceKey + ": /r/f.yaml#1\n" +
		"---\nnot: an object\n"
	if out != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
	if bad := "a: [\n"; string(annotateSources([]byte(bad), "f")) != bad {
		t.Error("unparsable content must be left alone")
	}
}
