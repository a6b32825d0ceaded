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
	// kustomize prints deprecation notes through the standard logger;
	// fluxlint reports what matters as findings instead.
	log.SetOutput(io.Discard)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
