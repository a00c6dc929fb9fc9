package main

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/testcorpus"
)

// shardAndMerge scans path in n shards, merges them and returns the JSON
// and SARIF files written.
func shardAndMerge(t *testing.T, path string, n int, args ...string) (js, sarif string) {
	t.Helper()
	dir := t.TempDir()
	var parts []string
	for i := 1; i <= n; i++ {
		part := filepath.Join(dir, fmt.Sprintf("part-%d.json", i))
		a := append([]string{"scan", path, "--shard", fmt.Sprintf("%d/%d", i, n), "-o", part}, args...)
		if code, _, stderr := runCLI(t, "", a...); code != 0 {
			t.Fatalf("shard %d/%d: exit %d: %s", i, n, code, stderr)
		}
		parts = append(parts, part)
	}
	js, sarif = filepath.Join(dir, "merged.json"), filepath.Join(dir, "merged.sarif")
	a := append([]string{"merge", "--fail-on", "none", "--format", "json=" + js, "--format", "sarif=" + sarif}, parts...)
	if code, _, stderr := runCLI(t, "", a...); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	return js, sarif
}

func TestShardsMergeToTheUnshardedReport(t *testing.T) {
	for _, g := range goldenScans {
		t.Run(g.name, func(t *testing.T) {
			js, sarif := shardAndMerge(t, "../../testdata", 3, g.args...)
			assertSameFile(t, js, filepath.Join("testdata", "golden", g.name+".json"))
			assertSameFile(t, sarif, filepath.Join("testdata", "golden", g.name+".sarif"))
		})
	}
}

func TestShardsMergeToTheUnshardedReportOnCorpus(t *testing.T) {
	corpus := testcorpus.Dir(t)
	dir := t.TempDir()
	js, sarif := filepath.Join(dir, "whole.json"), filepath.Join(dir, "whole.sarif")
	if code, _, stderr := runCLI(t, "", "scan", corpus, "--target-version", "1.33", "--fail-on", "none", "--format", "json="+js, "--format", "sarif="+sarif); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	mj, ms := shardAndMerge(t, corpus, 3, "--target-version", "1.33")
	assertSameFile(t, mj, js)
	assertSameFile(t, ms, sarif)
}

func TestMergeRefusesIncompleteShards(t *testing.T) {
	dir := t.TempDir()
	part := filepath.Join(dir, "part-1.json")
	if code, _, stderr := runCLI(t, "", "scan", fixtures, "--target-version", "1.33", "--shard", "1/2", "-o", part); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "", "merge", part); code != 2 {
		t.Fatalf("merge of 1 of 2 shards: exit %d (%s), want 2", code, stderr)
	}
	if code, _, _ := runCLI(t, "", "scan", fixtures, "--target-version", "1.33", "--shard", "3/2"); code != 2 {
		t.Fatalf("--shard 3/2: exit %d, want 2", code)
	}
	if code, _, _ := runCLI(t, "", "scan", fixtures, "--target-version", "1.33", "--shard", "1/2", "--format", "sarif"); code != 2 {
		t.Fatalf("--shard with SARIF: exit %d, want 2", code)
	}
}
