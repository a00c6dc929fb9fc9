package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/scan"
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
				for _, u := range res.Units {
					if u.Kind != model.SourceHelm {
						continue
					}
					more, err := m.DetectChartDir(u.Path)
					if err != nil && !errors.Is(err, errNotDir) {
						fmt.Fprintf(cmd.ErrOrStderr(), "kupgrade-lint: %s: %v\n", u.Path, err)
					}
					dets = append(dets, more...)
				}
			}
			return addons.WriteTable(stdout, m, v, dets)
		},
	}
	c.Flags().StringVar(&target, "target-version", "", "Kubernetes version, e.g. 1.33 (required)")
	c.Flags().StringArrayVar(&files, "addon-matrix", nil, "addon compatibility file merged over the built-in data (repeatable)")
	_ = c.MarkFlagRequired("target-version")
	return c
}

var errNotDir = errors.New("not a directory")
