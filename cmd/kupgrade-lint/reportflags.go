package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/report"
)

// reportFlags choose what reports show and where their paths are relative
// to; they never change what is scanned or the exit code.
type reportFlags struct {
	root        string
	minSeverity string
}

func addReportFlags(fl *pflag.FlagSet, f *reportFlags) {
	fl.StringVar(&f.root, "root", "", "repository root that SARIF, GitLab, GitHub, Markdown and JUnit paths are relative to (default: the enclosing git work tree, else the working directory)")
	fl.StringVar(&f.minSeverity, "min-severity", "", "show only findings at or above: error, warning or info (default info: all); exit codes still follow --fail-on")
}

// options resolves the flags for a scan of paths into report options.
func (f *reportFlags) options(paths []string) (report.Options, error) {
	var o report.Options
	if f.minSeverity != "" {
		s, err := model.ParseSeverity(f.minSeverity)
		if err != nil {
			return o, fmt.Errorf("--min-severity: %w", err)
		}
		o.MinSeverity = s
	}
	wd, err := os.Getwd()
	if err != nil {
		return o, fmt.Errorf("working directory: %w", err)
	}
	o.WorkDir = wd
	if f.root != "" {
		root, err := filepath.Abs(f.root)
		if err != nil {
			return o, fmt.Errorf("--root: %w", err)
		}
		if st, err := os.Stat(root); err != nil || !st.IsDir() {
			return o, fmt.Errorf("--root %s: not a directory", f.root)
		}
		o.Root = root
		return o, nil
	}
	o.Root = repoRoot(paths, wd)
	return o, nil
}

// repoRoot is the git work tree enclosing the first scanned path, else the
// one enclosing the working directory, else the working directory. It looks
// for .git (a directory, or the file a linked worktree or submodule has)
// rather than running git, which may be missing or refuse the directory.
func repoRoot(paths []string, wd string) string {
	for _, p := range paths {
		if p == "-" {
			continue
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(wd, p)
		}
		st, err := os.Stat(p)
		if err != nil {
			break
		}
		if !st.IsDir() {
			p = filepath.Dir(p)
		}
		if root := gitWorkTree(p); root != "" {
			return root
		}
		break
	}
	if root := gitWorkTree(wd); root != "" {
		return root
	}
	return wd
}

// gitWorkTree walks up from dir to the first directory holding .git.
func gitWorkTree(dir string) string {
	dir = filepath.Clean(dir)
	for {
		if hasGit(dir) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func hasGit(dir string) bool {
	p := filepath.Join(dir, ".git")
	st, err := os.Stat(p)
	if err != nil {
		return false
	}
	if st.IsDir() {
		return true
	}
	if !st.Mode().IsRegular() {
		return false
	}
	// A worktree's or submodule's .git file points at the real git dir.
	fh, err := os.Open(p)
	if err != nil {
		return false
	}
	head := make([]byte, len("gitdir:"))
	_, err = io.ReadFull(fh, head)
	_ = fh.Close() // read-only: nothing to lose
	return err == nil && bytes.Equal(head, []byte("gitdir:"))
}
