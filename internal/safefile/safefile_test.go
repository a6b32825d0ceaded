package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "a.yaml")
	if err := os.WriteFile(regular, []byte("kind: A\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string
		limit   int64
		want    string
		wantErr error
	}{
		{name: "regular file", path: regular, limit: -1, want: "kind: A\n"},
		{name: "within the limit", path: regular, limit: 8, want: "kind: A\n"},
		{name: "over the limit", path: regular, limit: 7, wantErr: errAny},
		{name: "FIFO", path: fifo, limit: -1, wantErr: ErrNotRegular},
		{name: "link to a FIFO", path: link, limit: -1, wantErr: ErrNotRegular},
		{name: "folder", path: dir, limit: -1, wantErr: ErrNotRegular},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadFileLimit(tt.path, tt.limit)
			switch {
			case errors.Is(tt.wantErr, errAny) && err != nil:
			case tt.wantErr != nil && errors.Is(err, tt.wantErr):
			case tt.wantErr == nil && err == nil && string(got) == tt.want:
			default:
				t.Fatalf("ReadFileLimit(%s, %d) = %q, %v", tt.path, tt.limit, got, err)
			}
		})
	}
	if err := Check(fifo); !errors.Is(err, ErrNotRegular) {
		t.Errorf("Check(FIFO) = %v, want ErrNotRegular", err)
	}
	if err := Check(regular); err != nil {
		t.Errorf("Check(regular) = %v", err)
	}
}

// errAny stands for any error.
var errAny = errors.New("any error")
