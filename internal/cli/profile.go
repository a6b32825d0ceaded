package cli

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"

	"github.com/spf13/cobra"
)

// profileFlags are the hidden --cpuprofile, --memprofile and --trace flags
// of check, which write pprof profiles for bench/run.sh and an execution
// trace (`go tool trace`) that shows what a run waits for.
type profileFlags struct {
	cpu, mem, trace string
}

func (p *profileFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&p.cpu, "cpuprofile", "", "write a pprof CPU profile to this file")
	fl.StringVar(&p.mem, "memprofile", "", "write a pprof heap profile to this file at the end")
	fl.StringVar(&p.trace, "trace", "", "write an execution trace to this file")
	_ = fl.MarkHidden("cpuprofile")
	_ = fl.MarkHidden("memprofile")
	_ = fl.MarkHidden("trace")
}

// start begins the CPU profile; the function it returns ends it and writes
// the heap profile.
func (p *profileFlags) start() (func() error, error) {
	var cpu *os.File
	if p.cpu != "" {
		f, err := os.Create(p.cpu)
		if err != nil {
			return nil, fmt.Errorf("cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("cpuprofile: %w", err)
		}
		cpu = f
	}
	var tr *os.File
	if p.trace != "" {
		f, err := os.Create(p.trace)
		if err == nil {
			if err = trace.Start(f); err != nil {
				_ = f.Close()
			}
		}
		if err != nil {
			if cpu != nil {
				pprof.StopCPUProfile()
				_ = cpu.Close()
			}
			return nil, fmt.Errorf("trace: %w", err)
		}
		tr = f
	}
	return func() error {
		var errs []error
		if cpu != nil {
			pprof.StopCPUProfile()
			errs = append(errs, cpu.Close())
		}
		if tr != nil {
			trace.Stop()
			errs = append(errs, tr.Close())
		}
		if p.mem != "" {
			errs = append(errs, writeHeapProfile(p.mem))
		}
		return errors.Join(errs...)
	}, nil
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("memprofile: %w", err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		_ = f.Close()
		return fmt.Errorf("memprofile: %w", err)
	}
	return f.Close()
}
