// Package paths holds how the render packages name and check places in the
// scanned tree: display paths, symlink-resolved paths, containment in the
// tree, and what marks a chart or a kustomization directory.
package paths

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/safefs"
)

// IsChartDir reports whether dir holds a regular Chart.yaml.
func IsChartDir(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, "Chart.yaml"))
	return err == nil && st.Mode().IsRegular()
}

var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// IsKustomizationName reports whether a file name is one Kustomize reads as
// a kustomization.
func IsKustomizationName(name string) bool {
	for _, k := range kustomizationNames {
		if name == k {
			return true
		}
	}
	return false
}

// KustomizationFile returns the kustomization file in dir, or "".
func KustomizationFile(dir string) string {
	for _, k := range kustomizationNames {
		p := filepath.Join(dir, k)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// IsOverlayDir reports whether dir holds a kustomization.
func IsOverlayDir(dir string) bool { return KustomizationFile(dir) != "" }

// Display turns a filesystem path into the slash path shown to users:
// relative to the working directory when below it.
func Display(p string) string {
	if !filepath.IsAbs(p) {
		return filepath.ToSlash(filepath.Clean(p))
	}
	wd, _ := os.Getwd()
	return DisplayIn(wd, p)
}

// DisplayIn is Display with the working directory given ("" : unknown),
// for callers that show many paths (os.Getwd costs two stat calls).
func DisplayIn(wd, p string) string {
	if filepath.IsAbs(p) && wd != "" {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			p = rel
		}
	}
	return filepath.ToSlash(filepath.Clean(p))
}

// ScanRoot is the absolute, symlink-free form of a scanned directory.
func ScanRoot(dir string) string {
	a := Abs(dir)
	if r, err := filepath.EvalSymlinks(a); err == nil {
		return r
	}
	return a
}

// Within reports whether p (absolute, symlinks resolved) is root or below
// it; nothing is within an empty root.
func Within(root, p string) bool {
	if root == "" {
		return false
	}
	return safefs.Within(root, p)
}

// IsDir reports whether p is a directory (symlinks followed).
func IsDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// IsRegular reports whether p is a regular file (symlinks followed).
func IsRegular(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// Abs is filepath.Abs, or the cleaned path when that fails.
func Abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	return a
}

// Real resolves symlinks, keeping p when that fails.
func Real(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}
