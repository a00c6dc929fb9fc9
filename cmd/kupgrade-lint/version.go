package main

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

// commit and date are set with -ldflags "-X main.commit=... -X main.date=..."
// by builds that do not carry VCS stamps (a source tarball, -buildvcs=false);
// otherwise they come from the build info Go records.
var (
	commit = ""
	date   = ""
)

// pseudoVersionRE matches the tail of a Go pseudo-version
// (v0.0.0-20261130160136-44dbfda62fde, also with +incompatible or a
// pre-release before the timestamp).
var pseudoVersionRE = regexp.MustCompile(`[-.](\d{14})-([0-9a-f]{12})(?:\+incompatible)?$`)

// buildInfo is what `version` prints; its JSON form is a stable contract
// for scripts that record which build produced a report.
type buildInfo struct {
	Version          string `json:"version"`
	Commit           string `json:"commit"`
	Date             string `json:"date"`
	Modified         bool   `json:"modified,omitempty"`
	GoVersion        string `json:"goVersion"`
	Platform         string `json:"platform"`
	KubernetesOldest string `json:"kubernetesDataOldest"`
	KubernetesNewest string `json:"kubernetesDataNewest"`
}

// currentBuild reads the VCS stamps (vcs.revision, vcs.time, vcs.modified)
// and lets the ldflags values win.
func currentBuild(bi *debug.BuildInfo, ok bool) buildInfo {
	db := kubeversion.Default()
	b := buildInfo{
		Version: toolVersion(), GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH,
		KubernetesOldest: db.Oldest().String(), KubernetesNewest: db.Newest().String(),
	}
	if ok && bi != nil {
		b.GoVersion = bi.GoVersion
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Commit = s.Value
			case "vcs.time":
				b.Date = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if b.Commit == "" && ok && bi != nil {
		// `go install …@version` records no VCS stamps, but a pseudo-version
		// names the commit (12 hex digits) and its UTC time.
		if m := pseudoVersionRE.FindStringSubmatch(bi.Main.Version); m != nil {
			if t, err := time.Parse("20060102150405", m[1]); err == nil {
				b.Commit, b.Date = m[2], t.Format(time.RFC3339)
			}
		}
	}
	if commit != "" {
		b.Commit, b.Modified = commit, strings.HasSuffix(commit, "-dirty")
	}
	if date != "" {
		b.Date = date
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	if b.Date == "" {
		b.Date = "unknown"
	}
	return b
}

func newVersionCmd(stdout io.Writer) *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, build date and the Kubernetes releases the embedded data covers",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			bi, ok := debug.ReadBuildInfo()
			b := currentBuild(bi, ok)
			switch strings.ToLower(output) {
			case "", "text":
				mod := ""
				if b.Modified {
					mod = " (modified)"
				}
				_, err := fmt.Fprintf(stdout, "kupgrade-lint %s\ncommit: %s%s\ndate: %s\ngo: %s %s\nKubernetes API data: %s to %s\n",
					b.Version, b.Commit, mod, b.Date, b.GoVersion, b.Platform, b.KubernetesOldest, b.KubernetesNewest)
				return err
			case "json":
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(b)
			}
			return usageError{fmt.Errorf("--output %q: want text or json", output)}
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "text", "output format: text or json")
	return c
}
