package model_test

import (
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/model"
)

func TestReleaseName(t *testing.T) {
	long := strings.Repeat("a", 30)
	cases := []struct {
		name, hr, releaseName, targetNS, want string
	}{
		{name: "plain", hr: "web", want: "web"},
		{name: "releaseName wins", hr: "web", releaseName: "site", targetNS: "prod", want: "site"},
		{name: "target namespace prefix", hr: "web", targetNS: "prod", want: "prod-web"},
		{name: "shortened", hr: long, targetNS: long, want: (long + "-" + long)[:40] + "-"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := model.ReleaseName(c.hr, c.releaseName, c.targetNS)
			if !strings.HasPrefix(got, c.want) || len(got) > 53 {
				t.Errorf("got %q, want prefix %q and at most 53 characters", got, c.want)
			}
		})
	}
}
