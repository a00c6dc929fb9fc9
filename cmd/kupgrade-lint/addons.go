package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addonapis"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/scan"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/tfhelm"
)

func newAddonsCmd(stdin io.Reader, stdout io.Writer) *cobra.Command {
	var target string
	var files []string
	c := &cobra.Command{
		Use:   "addons --target-version X [PATH...]",
		Short: "Show the addon compatibility data at a version and the addons found in PATHs",
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := kubeversion.Parse(target)
			if err != nil {
				return usageError{err}
			}
			if err := kubeversion.Default().CheckTarget(v); err != nil {
				return usageError{err}
			}
			m, err := addons.LoadWith(files...)
			if err != nil {
				return usageError{err}
			}
			var dets []addons.Detection
			if len(args) > 0 {
				render.DisableNetwork()
				restore := render.MuteLibraryStderr()
				res, err := scan.Render(cmd.Context(), scan.Options{Target: v, Render: render.Options{Paths: args, Stdin: stdin}})
				restore()
				if err != nil {
					return usageError{err}
				}
				dets = m.Detect(res.Objects)
				var in addons.FileInputs
				for _, u := range res.Units {
					switch u.Kind {
					case model.SourceKustomize:
						in.Overlays = append(in.Overlays, u.Path)
					case model.SourceHelm:
						in.Charts = append(in.Charts, u.Path)
						more, err := m.DetectChartDir(u.Path)
						if err != nil && !errors.Is(err, errNotDir) {
							fmt.Fprintf(cmd.ErrOrStderr(), "kupgrade-lint: %s: %v\n", u.Path, err)
						}
						dets = append(dets, more...)
					}
				}
				in.TerraformDirs = terraformDirs(args)
				more, tfErrs := m.DetectFiles(in)
				for _, e := range tfErrs {
					fmt.Fprintf(cmd.ErrOrStderr(), "kupgrade-lint: %s\n", e.Error())
				}
				dets = append(dets, more...)
			}
			if err := addons.WriteTable(stdout, m, v, dets); err != nil {
				return err
			}
			return writeAddonAPIData(stdout, addonapis.Default(), m, v)
		},
	}
	c.Flags().StringVar(&target, "target-version", "", "Kubernetes version, e.g. 1.33 (required)")
	c.Flags().StringArrayVar(&files, "addon-matrix", nil, "addon compatibility file merged over the built-in data (repeatable)")
	_ = c.MarkFlagRequired("target-version")
	return c
}

var errNotDir = errors.New("not a directory")

// terraformDirs lists the directories under the path arguments that hold
// *.tf files, skipping hidden directories and .terraform caches.
func terraformDirs(paths []string) []string {
	var out []string
	for _, p := range paths {
		if p == "-" {
			continue
		}
		_ = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return fs.SkipDir // unreadable: the scan reports it
			}
			if !d.IsDir() {
				return nil
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if len(tfhelm.Files(path)) > 0 {
				out = append(out, path)
			}
			return nil
		})
	}
	return out
}
