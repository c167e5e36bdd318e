// Command outpost-rogue is a hostile enrolled device, for tests. It enrols
// with an enrolment code like a workstation joining the practice (so the
// server accepts what it pushes), but it never has the practice key: what
// it pushes is what a stolen enrolment, a buggy client or a tampering
// insider could send. Workstations must hold every such change back and
// go on syncing (docs/SYNC.md, "Quarantine").
//
//	outpost-rogue -code CODE [-name NAME] [-random-patient N] [-altered N]
//
// -random-patient N pushes N changes of kind patient, each a new patient
// record whose sealed bytes are 80 random bytes, with no authentication
// tag. -altered N pushes copies of the N newest genuine patient changes on
// the server moved to another patient (their routing altered), keeping the
// genuine sealed bytes and tag, which then no longer match. Every change
// has valid UUIDs and a plausible clock, so only the key can tell.
//
// It prints "device <id>", then "pushed <change id> seq <n>: <what>" for
// each change, in the order given above.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

// options are the command line.
type options struct {
	code    string
	name    string
	random  int
	altered int
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "outpost-rogue:", err)
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	o, err := parseFlags(args, errOut)
	if err != nil {
		return err
	}
	r, err := enrol(ctx, o.code, o.name)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "device %s\n", r.c.DeviceID)
	forged, err := r.forge(ctx, o)
	if err != nil {
		return err
	}
	return r.push(ctx, forged, out)
}

func parseFlags(args []string, errOut io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("outpost-rogue", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.StringVar(&o.code, "code", "", "the enrolment `code` that outpost-server enroll printed (required)")
	fs.StringVar(&o.name, "name", "Rogue device", "the device name it enrols under")
	fs.IntVar(&o.random, "random-patient", 0, "push `N` new patients whose sealed bytes are random, with no tag")
	fs.IntVar(&o.altered, "altered", 0, "push copies of the `N` newest genuine patient changes moved to another patient")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected argument %q (see -h)", fs.Arg(0))
	case o.code == "":
		return o, errors.New("-code is required: make one with `outpost-server enroll`")
	case o.random < 0 || o.altered < 0:
		return o, errors.New("-random-patient and -altered count changes: 0 or more")
	case o.random+o.altered == 0:
		return o, errors.New("nothing to push: give -random-patient N or -altered N")
	}
	return o, nil
}
