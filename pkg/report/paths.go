package report

import (
	"net/url"
	"path"
	"path/filepath"
	"strings"
)

// pathMap turns the paths findings carry (as scanned: relative to the
// working directory, or absolute) into repository paths. It is a pure
// function of Options, so writers stay free of the environment.
type pathMap struct {
	root, workDir string
}

func newPathMap(opt Options) pathMap {
	return pathMap{root: cleanAbs(opt.Root), workDir: cleanAbs(opt.WorkDir)}
}

func cleanAbs(p string) string {
	if p == "" || !filepath.IsAbs(p) {
		return ""
	}
	return filepath.Clean(p)
}

// repo returns file as a slash-separated path relative to the repository
// root, and whether it lies inside the root. Files outside the root come
// back absolute. Without a root (tests, library use) paths stay as given.
// stdin and "-" have no path.
func (m pathMap) repo(file string) (p string, inside bool) {
	if file == "" || file == "-" || file == stdinName {
		return "", false
	}
	abs := file
	if !filepath.IsAbs(abs) && m.workDir != "" {
		abs = filepath.Join(m.workDir, abs)
	}
	if m.root != "" && filepath.IsAbs(abs) {
		rel, err := filepath.Rel(m.root, abs)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return path.Clean(filepath.ToSlash(rel)), true
		}
		return filepath.ToSlash(filepath.Clean(abs)), false
	}
	p = filepath.ToSlash(file)
	if filepath.IsAbs(file) {
		return p, false
	}
	return path.Clean(p), true
}

// RepoPath is file as SARIF, GitLab, annotations, JUnit and Markdown show
// it: relative to opt.Root when inside it (other writers, such as the
// upgrade plan's, use it too).
func RepoPath(opt Options, file string) string { return newPathMap(opt).path(file) }

// path is repo without the inside flag: what GitLab, annotations and JUnit
// print.
func (m pathMap) path(file string) string {
	p, _ := m.repo(file)
	return p
}

// fileURI escapes a repository path as a relative URI reference.
func fileURI(p string) string {
	u := &url.URL{Path: p}
	return u.String()
}

// absFileURI is an absolute file:// URI for a slash-separated absolute path
// (a Windows drive path gets the leading slash RFC 8089 wants).
func absFileURI(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	u := &url.URL{Scheme: "file", Path: p}
	return u.String()
}

// rootURI is the repository root as a file:// URI ending in a slash, the form
// SARIF wants for originalUriBaseIds.
func (m pathMap) rootURI() string {
	if m.root == "" {
		return ""
	}
	return strings.TrimSuffix(absFileURI(filepath.ToSlash(m.root)), "/") + "/"
}
