package schema

import "testing"

func TestNearestVersions(t *testing.T) {
	tests := []struct {
		in, want string
		exact    bool
		kube     bool
	}{
		{in: "", want: "2.9", exact: true},
		{in: "2.6", want: "2.6", exact: true},
		{in: "v2.6.3", want: "2.6", exact: true},
		{in: "2.6.x", want: "2.6", exact: true},
		{in: "2.x", want: "2.9", exact: true},
		{in: "v2", want: "2.9", exact: true},
		{in: "2.1", want: "2.0"},
		{in: "2.8", want: "2.7"},
		{in: "v2.8.1", want: "2.7"},
		{in: "2.12", want: "2.9"},
		{in: "3.0", want: "2.9"},
		{in: "1.x", want: "2.9"},
		{in: "0.41", want: "2.0"},
		{in: ">=2.5", want: "2.9"},
		{in: "1.35", want: "1.35", exact: true, kube: true},
		{in: "v1.35.2", want: "1.35", exact: true, kube: true},
		{in: "1.30", want: "1.33", kube: true},
		{in: "1.40", want: "1.37", kube: true},
		{in: "", want: "1.37", exact: true, kube: true},
	}
	for _, tt := range tests {
		nearestFn, what := NearestFluxVersion, "NearestFluxVersion"
		if tt.kube {
			nearestFn, what = NearestKubernetesVersion, "NearestKubernetesVersion"
		}
		got, exact, err := nearestFn(tt.in)
		if err != nil || got != tt.want || exact != tt.exact {
			t.Errorf("%s(%q) = %q, %v, %v; want %q, %v", what, tt.in, got, exact, err, tt.want, tt.exact)
		}
	}
}
