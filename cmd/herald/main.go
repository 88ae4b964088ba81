// Command herald checks, previews and publishes an editorial calendar kept
// as Markdown files in a git repository.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	_ "time/tzdata" // charters name IANA zones; CI images may lack zoneinfo
)

func main() {
	// herald runs for seconds and keeps little of what it allocates (each
	// post's front matter tree, its schema validation, its renderings):
	// collecting when the heap has grown to four times what is live, rather
	// than two, saves check a sixth of its CPU for a little memory. GOGC,
	// when set, still decides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(300)
	}
	// SIGINT or SIGTERM cancels ctx: every command stops at its next step,
	// leaving the calendar as it was, and says it was interrupted. A
	// second signal ends herald at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
