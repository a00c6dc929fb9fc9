package scan

import (
	"fmt"
	"testing"
)

// A unit's shard depends on its path only: adding units elsewhere moves
// nothing, and every unit is in exactly one shard.
func TestShardShareIsStable(t *testing.T) {
	counts := make([]int, 4)
	for i := 0; i < 1000; i++ {
		p := fmt.Sprintf("apps/team-%d/deploy.yaml", i)
		n := 0
		for s := 1; s <= 4; s++ {
			if (Shard{I: s, N: 4}).Has(p) {
				n++
				counts[s-1]++
			}
		}
		if n != 1 {
			t.Fatalf("%s is in %d shards", p, n)
		}
	}
	for s, c := range counts {
		if c < 200 || c > 300 {
			t.Errorf("shard %d/4 has %d of 1000 units", s+1, c)
		}
	}
	if !(Shard{I: 3, N: 3}).Has("charts/web") || (Shard{I: 1, N: 3}).Has("charts/web") {
		t.Error("charts/web moved shard: the hash changed, so do shards of existing CI runs")
	}
	for _, bad := range []string{"0/3", "4/3", "1/0", "a/b", "2"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}
