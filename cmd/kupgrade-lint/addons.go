package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addonapis"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/config"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/report"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/scan"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/tfhelm"
)

func newAddonsCmd(stdin io.Reader, stdout io.Writer) *cobra.Command {
	f := &scanFlags{}
	// Rendering uses scan's defaults; only the flags below are offered.
	addSandboxFlags(pflag.NewFlagSet("addons", pflag.ContinueOnError), &f.sandbox)
	c := &cobra.Command{
		Use:   "addons --target-version X [PATH...]",
		Short: "Show the addon compatibility data at a version and the addons found in PATHs",
		RunE: func(cmd *cobra.Command, args []string) error {
			// The same options as scan: the config's excludes, chart settings
			// and addon matrices apply.
			paths := args
			if len(paths) == 0 {
				paths = []string{"."}
			}
			opts, _, err := scanOptions(f, paths, stdin)
			if err != nil {
				return err
			}
			if err := kubeversion.Default().CheckTarget(opts.Target); err != nil {
				return usageError{err}
			}
			m := opts.Addons
			if m == nil {
				m = addons.Default()
			}
			var dets []addons.Detection
			if len(args) > 0 {
				restore := scan.Isolate(opts.AllowRemoteSchemas)
				res, err := scan.Render(cmd.Context(), opts)
				restore()
				if err != nil {
					return usageError{err}
				}
				found := m.Detect(res.Objects)
				var in addons.FileInputs
				var charts []addons.Detection
				for _, u := range res.Units {
					switch u.Kind {
					case model.SourceKustomize:
						in.Overlays = append(in.Overlays, u.Path)
					case model.SourceHelm:
						in.Charts = append(in.Charts, u.Path)
						// Vendored subcharts too: a chart that renders
						// nothing without values still names them. A
						// packaged chart (.tgz) is not opened for them.
						if st, err := os.Stat(u.Path); err != nil || !st.IsDir() {
							continue
						}
						more, err := m.DetectChartDir(u.Path)
						if err != nil {
							fmt.Fprintf(cmd.ErrOrStderr(), "kupgrade-lint: %s\n", report.SafeLines(u.Path+": "+err.Error()))
						}
						charts = append(charts, more...)
					}
				}
				in.TerraformDirs = terraformDirs(args)
				declared, tfErrs := m.DetectFiles(in)
				for _, e := range tfErrs {
					fmt.Fprintf(cmd.ErrOrStderr(), "kupgrade-lint: %s\n", report.SafeLines(e.Error()))
				}
				dets = addons.MergeDetections(found, append(charts, declared...))
			}
			// Versions, images and paths in the table come from the scanned
			// repository: escaped like the text report.
			var buf strings.Builder
			if err := addons.WriteTable(&buf, m, opts.Target, dets); err != nil {
				return err
			}
			if _, err := io.WriteString(stdout, report.SafeLines(buf.String())); err != nil {
				return err
			}
			return writeAddonAPIData(stdout, addonapis.Default(), m, opts.Target)
		},
	}
	c.Flags().StringVar(&f.target, "target-version", "", "Kubernetes version, e.g. 1.33 (or targetVersion in the config)")
	c.Flags().StringArrayVar(&f.addonFiles, "addon-matrix", nil, "addon compatibility file merged over the built-in data (repeatable)")
	c.Flags().StringVar(&f.configPath, "config", "", "config file (default: "+config.FileName+" in the current directory or a parent)")
	return c
}

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
