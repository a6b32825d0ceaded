// Command fluxlint checks a Flux GitOps repository before anything reaches a
// cluster. See the README for its commands.
package main

import (
	"context"
	"io"
	"log"
	"os"
	"os/signal"

	"github.com/fluxlint/fluxlint/internal/cli"
)

func main() {
	// kustomize prints deprecation notes to the standard logger and straight
	// to os.Stderr; fluxlint reports what matters as findings instead, so
	// only fluxlint's own messages reach the real standard error.
	stderr := os.Stderr
	log.SetOutput(io.Discard)
	if devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		os.Stderr = devNull
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, stderr)
	stop()
	os.Exit(code)
}
