package addons

import (
	"strings"

	"github.com/Masterminds/semver/v3"
)

// imageRef is a container image reference split into parts.
type imageRef struct {
	Registry string // "" for Docker Hub short names
	Repo     string // path without registry ("ingress-nginx/controller")
	Tag      string
	Digest   string
}

// parseImage splits "reg.io:5000/a/b:tag@sha256:..." without validating.
func parseImage(s string) imageRef {
	var r imageRef
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '@'); i >= 0 {
		r.Digest = s[i+1:]
		s = s[:i]
	}
	// The tag is after the last colon that follows the last slash; a colon
	// before it belongs to a registry port.
	if i := strings.LastIndexByte(s, ':'); i >= 0 && i > strings.LastIndexByte(s, '/') {
		r.Tag = s[i+1:]
		s = s[:i]
	}
	if i := strings.IndexByte(s, '/'); i >= 0 {
		first := s[:i]
		if strings.ContainsAny(first, ".:") || first == "localhost" {
			r.Registry = first
			s = s[i+1:]
		}
	}
	r.Repo = strings.TrimPrefix(s, "library/")
	return r
}

// hasSuffix reports whether repo ends with the path suffix on a path
// boundary, so mirrors that add a prefix ("mirror/ingress-nginx/controller")
// still match but "my-controller" does not match "controller".
func hasSuffix(repo, suffix string) bool {
	return hasLowerSuffix(strings.ToLower(repo), suffix)
}

// hasLowerSuffix is hasSuffix for a repository already in lower case
// (it runs for every image, addon and suffix of a scan).
func hasLowerSuffix(repo, suffix string) bool {
	suffix = strings.ToLower(suffix)
	if repo == suffix {
		return true
	}
	n := len(repo) - len(suffix)
	return n > 0 && repo[n-1] == '/' && repo[n:] == suffix
}

// parseAddonVersion reads a version from a tag or label: an optional "v",
// optional known prefixes, and variant suffixes ("-distroless") dropped.
// It returns nil for "latest", digests and anything else without a version.
func parseAddonVersion(s string, prefixes []string) *semver.Version {
	s = strings.TrimSpace(s)
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			s = s[len(p):]
			break
		}
	}
	v, err := semver.NewVersion(s)
	if err != nil {
		return nil
	}
	if v.Major() == 0 && v.Minor() == 0 && v.Patch() == 0 {
		// Unreleased placeholder (charts built from source say v0.0.0).
		return nil
	}
	// Compare release numbers only: pre-release and variant suffixes
	// ("-beta.0", "-distroless", "-eksbuild.1") would otherwise never match
	// plain constraints.
	core := semver.New(v.Major(), v.Minor(), v.Patch(), "", "")
	return core
}
