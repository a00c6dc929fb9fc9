package render

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

func TestDebugCorpus(t *testing.T) {
	dir := os.Getenv("DBG")
	if dir == "" {
		t.Skip()
	}
	DiscardLibraryLogs()
	tv := kubeversion.MustParse("1.33")
	start := time.Now()
	res, err := Run(context.Background(), Options{Paths: []string{dir}, Target: tv, APIVersions: kubeversion.Default().ServedAPIs(tv), RenderAll: os.Getenv("ALL") != ""})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("elapsed", time.Since(start), "objects", len(res.Objects))
	for _, u := range res.Units {
		if u.Kind != "file" {
			fmt.Printf("%s %s %d %.0fms\n", u.Kind, u.Path, u.Objects, u.DurationMS)
		}
	}
	for _, p := range res.Problems {
		fmt.Printf("PROBLEM %s %s:%d %s\n", p.Rule, p.File, p.Line, p.Message)
	}
	if os.Getenv("OBJS") != "" {
		for _, o := range res.Objects {
			fmt.Printf("OBJ %s %s/%s %s:%d exact=%v\n", o.APIVersion, o.Kind, o.Name, o.Source.File, o.Source.Line, o.Source.Exact)
		}
	}
}
