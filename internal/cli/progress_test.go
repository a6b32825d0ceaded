package cli

import (
	"bytes"
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	tests := []struct {
		name    string
		elapsed time.Duration
		want    string
	}{
		{name: "quick run prints nothing", elapsed: 0, want: ""},
		{name: "long run shows and erases its line", elapsed: 2 * time.Second,
			want: "\r\033[Kfluxlint: rendering clusters: 1 of 2" + "\r\033[Kfluxlint: 2 of 2 clusters rendered; checking" + "\r\033[K"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			p := &progress{w: &buf, start: time.Now().Add(-tt.elapsed)}
			p.update(1, 2)
			p.update(2, 2)
			p.done()
			if got := buf.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("not a terminal", func(t *testing.T) {
		if p := newProgress(&bytes.Buffer{}); p != nil {
			t.Errorf("newProgress(buffer) = %v, want nil", p)
		}
		var p *progress
		p.done() // a nil progress does nothing
	})
}
