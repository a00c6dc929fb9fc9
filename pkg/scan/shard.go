package scan

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/crdindex"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
	"github.com/kupgrade-lint/kupgrade-lint/rules"
)

// Shard selects the I-th of N shares of the units (1-based).
type Shard struct{ I, N int }

// ParseShard reads "i/n".
func ParseShard(s string) (*Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return nil, fmt.Errorf("--shard %q: want i/n with 1 <= i <= n, e.g. 2/4", s)
	}
	return &Shard{I: i, N: n}, nil
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.I, s.N) }

// Has reports whether the unit at path belongs to the shard. The share
// depends on the path alone, so adding units elsewhere moves no unit.
func (s Shard) Has(path string) bool {
	h := fnv.New64a()
	_, _ = h.Write([]byte(path))
	return int(h.Sum64()%uint64(s.N)) == s.I-1
}

// PartialFormat marks a shard's partial result.
const PartialFormat = "kupgrade-lint-partial/1"

// Partial is one shard's result: the findings of the per-object rules,
// with positions resolved, and the facts the whole-set rules need (the
// objects they read, serialized as render workers serialize them).
type Partial struct {
	Format         string          `json:"format"`
	ToolVersion    string          `json:"toolVersion"`
	Shard          string          `json:"shard"`
	TargetVersion  string          `json:"targetVersion"`
	CurrentVersion string          `json:"currentVersion,omitempty"`
	Rules          []string        `json:"rules"`
	Relative       bool            `json:"relative"`
	Notices        []string        `json:"notices,omitempty"`
	Units          []PartialUnit   `json:"units"`
	Problems       []model.Problem `json:"problems"`
	// Findings are per evaluated version (the target, and every hop from
	// the current version).
	Findings map[string][]model.Finding `json:"findings"`
	// Early lists the group/kinds checked before the CRDs were known.
	Early [][2]string `json:"early"`
	// Objects is render.EncodeObjects of every unit's kept objects, in
	// unit order (PartialUnit.Kept of them per unit).
	Objects string `json:"objects"`
}

// PartialUnit is one unit of a shard.
type PartialUnit struct {
	Index   int               `json:"index"`
	Unit    model.Unit        `json:"unit"`
	Refs    []model.ObjectRef `json:"refs"`
	Ignores []PartialIgnore   `json:"ignores,omitempty"`
	Kept    int               `json:"kept"`
	Late    []bool            `json:"late"`
	// With a current version, At are the indexes of the versions (from
	// the current one) this render of the unit stands for, Problems its
	// problems, and Variants the unit's renders for the other versions.
	At       []int           `json:"at,omitempty"`
	Problems []model.Problem `json:"problems,omitempty"`
	Variants []PartialUnit   `json:"variants,omitempty"`
}

// PartialIgnore is one object's kupgrade-lint.io/ignore annotation.
type PartialIgnore struct {
	File, Origin, APIVersion, Kind, Namespace, Name string
	Rules                                           []string
}

// RunShard scans opts.Shard's share of the units and returns its partial
// result.
func RunShard(ctx context.Context, opts Options) (*Partial, error) {
	if opts.Shard == nil {
		return nil, errors.New("RunShard needs a shard")
	}
	if err := checkVersions(opts); err != nil {
		return nil, err
	}
	ruleSet, err := Select(rules.All(), opts.Config)
	if err != nil {
		return nil, err
	}
	st, err := newStreamState(opts, ruleSet)
	if err != nil {
		return nil, err
	}
	sh := *opts.Shard
	st.opts.Render.Shard = sh.Has
	if err := st.render(ctx, true); err != nil {
		return nil, err
	}
	p := &Partial{
		Format: PartialFormat, ToolVersion: opts.ToolVersion, Shard: sh.String(),
		TargetVersion: opts.Target.String(), Relative: allRelative(opts.Render.Paths),
		Notices: st.notices, Problems: st.problems, Findings: map[string][]model.Finding{},
	}
	if !opts.Current.IsZero() {
		p.CurrentVersion = opts.Current.String()
	}
	for _, r := range ruleSet {
		p.Rules = append(p.Rules, r.ID)
	}
	var objs []*model.Object
	variant := func(v *variantFacts) PartialUnit {
		u := PartialUnit{Refs: v.refs, Kept: len(v.kept), Late: v.late, At: v.at, Problems: v.probs}
		for _, e := range v.ignores {
			pi := PartialIgnore{File: e.key.file, Origin: e.key.origin, APIVersion: e.key.apiVersion, Kind: e.key.kind, Namespace: e.key.ns, Name: e.key.name}
			for id := range e.set {
				pi.Rules = append(pi.Rules, id)
			}
			sort.Strings(pi.Rules)
			u.Ignores = append(u.Ignores, pi)
		}
		objs = append(objs, v.kept...)
		return u
	}
	for k, i := range st.index {
		u := PartialUnit{}
		if f := st.facts[i]; f != nil && len(f.vars) > 0 {
			u = variant(f.vars[0])
			for _, v := range f.vars[1:] {
				u.Variants = append(u.Variants, variant(v))
			}
		}
		u.Index, u.Unit = i, st.units[k]
		p.Units = append(p.Units, u)
	}
	for k := range st.early {
		p.Early = append(p.Early, k)
	}
	sort.Slice(p.Early, func(a, b int) bool {
		return p.Early[a][0]+"/"+p.Early[a][1] < p.Early[b][0]+"/"+p.Early[b][1]
	})
	for i, s := range st.sessions {
		fs := s.Local()
		Sort(fs)
		p.Findings[st.vs[i].String()] = fs
	}
	blob, err := render.EncodeObjects(objs, nil)
	if err != nil {
		return nil, err
	}
	p.Objects = base64.StdEncoding.EncodeToString(blob)
	return p, nil
}

// WritePartial writes p as JSON.
func WritePartial(w io.Writer, p *Partial) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(p)
}

// ReadPartial reads a partial result written by WritePartial.
func ReadPartial(r io.Reader) (*Partial, error) {
	var p Partial
	if err := json.NewDecoder(r).Decode(&p); err != nil {
		return nil, err
	}
	if p.Format != PartialFormat {
		return nil, fmt.Errorf("not a partial result of kupgrade-lint scan --shard (format %q, want %q)", p.Format, PartialFormat)
	}
	return &p, nil
}

// Merge runs the whole-set rules over the partial results of every shard
// and reports as one unsharded scan would. opts gives the config,
// severities, baseline and fail-on; target and current versions come from
// the partials.
func Merge(opts Options, parts []*Partial) (*model.Report, error) {
	if len(parts) == 0 {
		return nil, errors.New("merge: no partial results")
	}
	first := parts[0]
	var err error
	if opts.Target, err = kubeversion.Parse(first.TargetVersion); err != nil {
		return nil, err
	}
	opts.Current = kubeversion.Version{}
	if first.CurrentVersion != "" {
		if opts.Current, err = kubeversion.Parse(first.CurrentVersion); err != nil {
			return nil, err
		}
	}
	ruleSet, err := Select(rules.All(), opts.Config)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, r := range ruleSet {
		ids = append(ids, r.ID)
	}
	n := 0
	seen := map[string]bool{}
	for _, p := range parts {
		switch {
		case p.TargetVersion != first.TargetVersion || p.CurrentVersion != first.CurrentVersion:
			return nil, fmt.Errorf("merge: shard %s is for %s (current %q), shard %s for %s (current %q)", p.Shard, p.TargetVersion, p.CurrentVersion, first.Shard, first.TargetVersion, first.CurrentVersion)
		case strings.Join(p.Rules, ",") != strings.Join(ids, ","):
			return nil, fmt.Errorf("merge: shard %s ran other rules than the merge config enables", p.Shard)
		case p.ToolVersion != first.ToolVersion:
			return nil, fmt.Errorf("merge: shard %s was written by kupgrade-lint %s, shard %s by %s", p.Shard, p.ToolVersion, first.Shard, first.ToolVersion)
		case seen[p.Shard]:
			return nil, fmt.Errorf("merge: shard %s given twice", p.Shard)
		}
		seen[p.Shard] = true
		sh, err := ParseShard(p.Shard)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			n = sh.N
		} else if sh.N != n {
			return nil, fmt.Errorf("merge: shards of %d and %d parts", n, sh.N)
		}
	}
	if len(parts) != n {
		return nil, fmt.Errorf("merge: %d of %d shards given", len(parts), n)
	}
	st, err := newStreamState(opts, ruleSet)
	if err != nil {
		return nil, err
	}
	var units []PartialUnit
	for _, p := range parts {
		blob, err := base64.StdEncoding.DecodeString(p.Objects)
		if err != nil {
			return nil, fmt.Errorf("merge: shard %s: %w", p.Shard, err)
		}
		objs, _, err := render.DecodeObjects(blob)
		if err != nil {
			return nil, fmt.Errorf("merge: shard %s: %w", p.Shard, err)
		}
		for _, u := range p.Units {
			f := &unitFacts{}
			for _, pv := range append([]PartialUnit{u}, u.Variants...) {
				if pv.Kept > len(objs) || len(pv.Late) != pv.Kept {
					return nil, fmt.Errorf("merge: shard %s is inconsistent", p.Shard)
				}
				v := &variantFacts{at: pv.At, probs: pv.Problems, refs: pv.Refs, kept: objs[:pv.Kept:pv.Kept], late: pv.Late}
				objs = objs[pv.Kept:]
				for _, o := range v.kept {
					if crdindex.IsCRD(o) {
						if k, err := crdindex.Parse(o); err == nil {
							v.crds = append(v.crds, k)
						}
					}
				}
				for _, ig := range pv.Ignores {
					set := map[string]bool{}
					for _, id := range ig.Rules {
						set[id] = true
					}
					v.ignores = append(v.ignores, ignoreEntry{objKey{ig.File, ig.Origin, ig.APIVersion, ig.Kind, ig.Namespace, ig.Name}, set})
				}
				f.vars = append(f.vars, v)
			}
			if _, dup := st.facts[u.Index]; dup {
				return nil, fmt.Errorf("merge: unit %s is in two shards", u.Unit.Path)
			}
			st.facts[u.Index] = f
			units = append(units, u)
		}
		for _, k := range p.Early {
			st.early[k] = true
		}
		for _, v := range st.vs {
			fs, ok := p.Findings[v.String()]
			if !ok {
				return nil, fmt.Errorf("merge: shard %s has no findings for %s", p.Shard, v)
			}
			st.sessions[indexOf(st.vs, v)].Import(fs)
		}
		st.problems = append(st.problems, p.Problems...)
	}
	sort.Slice(units, func(a, b int) bool { return units[a].Index < units[b].Index })
	for _, u := range units {
		st.units = append(st.units, u.Unit)
		st.index = append(st.index, u.Index)
	}
	c, err := st.finish()
	if errors.Is(err, errWholeSet) {
		return nil, errors.New("merge: a CRD of the repository redefines a kind that was checked before it was known; scan without --shard")
	}
	if err != nil {
		return nil, err
	}
	if len(first.Notices) > 0 {
		c.notices = first.Notices
	}
	return buildReport(opts, ruleSet, c, first.Relative), nil
}

func indexOf(vs []kubeversion.Version, v kubeversion.Version) int {
	for i, x := range vs {
		if x == v {
			return i
		}
	}
	return -1
}
