package kubeversion

import (
	"encoding/json"
	"testing"
)

func TestParse(t *testing.T) {
	good := []struct {
		in   string
		want Version
	}{
		{"1.33", Version{1, 33}},
		{"v1.33", Version{1, 33}},
		{"1.33.2", Version{1, 33}},
		{"v1.33.2", Version{1, 33}},
		{" 1.16 ", Version{1, 16}},
		{"1.33.2-eks.1", Version{1, 33}},
		{"v1.30.4+k3s1", Version{1, 30}},
		{"1.33-rc.1", Version{1, 33}},
		{"1.0", Version{1, 0}},
	}
	for _, tc := range good {
		got, err := Parse(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	bad := []string{"", "1", "v", "2.0", "0.33", "1.x", "1.33.2.1", "latest", "1.-1", "1..3", "v1.33.x"}
	for _, in := range bad {
		if v, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %v, want error", in, v)
		}
	}
}

func TestVersionOrderAndText(t *testing.T) {
	a, b := MustParse("1.9"), MustParse("1.33")
	if !a.Less(b) || b.Less(a) || !b.AtLeast(a) || !a.AtLeast(a) || a.Compare(a) != 0 {
		t.Errorf("ordering of %v and %v is wrong", a, b)
	}
	if got := a.Next(); got != MustParse("1.10") {
		t.Errorf("Next(1.9) = %v", got)
	}
	if (Version{}).String() != "" || !(Version{}).IsZero() || b.String() != "1.33" {
		t.Errorf("String/IsZero wrong")
	}
	var s struct {
		V Version `json:"v,omitzero"`
		W Version `json:"w"`
	}
	if err := json.Unmarshal([]byte(`{"v":"1.25","w":""}`), &s); err != nil || s.V != MustParse("1.25") || !s.W.IsZero() {
		t.Fatalf("unmarshal: %v %+v", err, s)
	}
	if err := json.Unmarshal([]byte(`{"v":"one"}`), &s); err == nil {
		t.Errorf("unmarshal of a bad version succeeded")
	}
	s.V = Version{}
	out, _ := json.Marshal(s)
	if string(out) != `{"w":""}` {
		t.Errorf("marshal = %s", out)
	}
}
