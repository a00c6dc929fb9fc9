package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/baseline"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/scan"
)

func newBaselineCmd(stdin io.Reader, stdout io.Writer) *cobra.Command {
	c := &cobra.Command{
		Use:   "baseline",
		Short: "Record today's findings so that scans with --baseline report only new ones",
	}
	f := &scanFlags{}
	w := &cobra.Command{
		Use:   "write FILE [PATH|-]...",
		Short: "Scan like `scan` and record every finding's fingerprint in FILE",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			file, paths := args[0], args[1:]
			if len(paths) == 0 {
				paths = []string{"."}
			}
			f.baseline = "" // a baseline is built from every finding
			opts, _, err := scanOptions(f, paths, stdin)
			if err != nil {
				return err
			}
			opts.Baseline = nil
			opts.FailOn = model.SeverityNone
			restore := scan.Isolate(opts.AllowRemoteSchemas)
			rep, err := scan.Run(cmd.Context(), opts)
			restore()
			if err != nil {
				return usageError{err}
			}
			if rep.ExitCode == scan.ExitUsage {
				return usageError{fmt.Errorf("no Kubernetes objects found in %v; baseline not written", paths)}
			}
			fh, err := os.Create(file)
			if err != nil {
				return usageError{fmt.Errorf("write baseline: %w", err)}
			}
			if err := baseline.Write(fh, rep); err != nil {
				_ = fh.Close()
				return usageError{fmt.Errorf("write baseline %s: %w", file, err)}
			}
			if err := fh.Close(); err != nil {
				return usageError{fmt.Errorf("write baseline %s: %w", file, err)}
			}
			fmt.Fprintf(stdout, "recorded %d findings in %s\n", len(baseline.New(rep).Findings), file)
			return nil
		},
	}
	addScanFlags(w, f)
	c.AddCommand(w)
	return c
}
