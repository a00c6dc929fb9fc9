package render

import (
	"bytes"
	"io/fs"
	"path/filepath"
	"sort"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/crdindex"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/decode"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/helm"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/safefs"
)

// collectCRDAPIs returns the group/versions and group/version/Kinds defined
// by CustomResourceDefinitions in plain files and in charts' crds/
// directories, so templates that test .Capabilities.APIVersions for a CRD
// shipped in the same repository see it installed.
func collectCRDAPIs(p *plan) []string {
	type file struct{ root, path string }
	var files []file
	for _, u := range p.units {
		switch {
		case u.kind == model.SourcePlain && u.fs != "":
			files = append(files, file{u.root, u.fs})
		case u.kind == model.SourceHelm && paths.IsDir(u.fs):
			_ = filepath.WalkDir(u.fs, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return nil //nolint:nilerr // unreadable files are reported when the chart renders
				}
				if d.IsDir() || filepath.Base(filepath.Dir(path)) != "crds" || !IsManifestName(d.Name()) {
					return nil
				}
				files = append(files, file{u.root, path})
				return nil
			})
		}
	}
	seen := map[string]bool{}
	for _, u := range p.units {
		if u.kind == model.SourceHelm && !paths.IsDir(u.fs) {
			for _, data := range helm.ArchiveCRDs(helm.Chart{Path: u.path, Dir: u.fs, Root: u.root}) {
				for _, d := range decode.Split(data) {
					for _, a := range crdindex.DocumentAPIs(d.Text) {
						seen[a] = true
					}
				}
			}
		}
	}
	for _, f := range files {
		// This runs in the scanning process, not a render worker: special
		// files and symlinks out of the tree are skipped here and reported
		// where the file or chart is decoded or rendered.
		data, err := safefs.ReadIn(f.root, f.path, MaxFileSize)
		if err != nil || !bytes.Contains(data, []byte("CustomResourceDefinition")) {
			continue
		}
		for _, d := range decode.Split(data) {
			if !bytes.Contains(d.Text, []byte("CustomResourceDefinition")) {
				continue
			}
			for _, a := range crdindex.DocumentAPIs(d.Text) {
				seen[a] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
