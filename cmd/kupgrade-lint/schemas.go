package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/schema"
)

func newSchemasCmd(stdout io.Writer) *cobra.Command {
	var version string
	c := &cobra.Command{
		Use:   "schemas [--version X]",
		Short: "List the embedded Kubernetes schema versions, or the kinds of one version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if version == "" {
				for _, v := range schema.Versions() {
					src, _ := schema.Source(v)
					fmt.Fprintf(stdout, "%s\t%d kinds\t%s\n", v, len(schema.Kinds(v)), src)
				}
				return nil
			}
			v, err := kubeversion.Parse(version)
			if err != nil {
				return usageError{err}
			}
			if !schema.Supported(v) {
				vs := schema.Versions()
				return usageError{fmt.Errorf("no embedded schemas for %s (supported: %s to %s)", v, vs[0], vs[len(vs)-1])}
			}
			_, err = io.WriteString(stdout, strings.Join(schema.Kinds(v), "\n")+"\n")
			return err
		},
	}
	c.Flags().StringVar(&version, "version", "", "list the kinds of this Kubernetes version")
	return c
}
