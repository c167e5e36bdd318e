package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"outpost/chart"
)

// passphraseEnv names the variable a script gives the passphrase in.
const passphraseEnv = "OUTPOST_PASSPHRASE"

// readPassphrase takes the passphrase from OUTPOST_PASSPHRASE, else asks
// for it on the terminal without echo (twice when confirm, as for a new
// passphrase), else reads one line from a pipe.
func readPassphrase(in *os.File, prompt io.Writer, question string, confirm bool) (string, error) {
	if p := os.Getenv(passphraseEnv); p != "" {
		return p, nil
	}
	if !term.IsTerminal(int(in.Fd())) {
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && (!errors.Is(err, io.EOF) || line == "") {
			return "", fmt.Errorf("no passphrase: set %s or type it: %w", passphraseEnv, err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	ask := func(q string) (string, error) {
		fmt.Fprint(prompt, q)
		b, err := term.ReadPassword(int(in.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read passphrase: %w", err)
		}
		return string(b), nil
	}
	first, err := ask(question)
	if err != nil || !confirm {
		return first, err
	}
	again, err := ask("The same passphrase again: ")
	if err != nil {
		return "", err
	}
	if first != again {
		return "", chart.Errorf(chart.EINVALID, "The two passphrases differ; run the command again.")
	}
	return first, nil
}

// signIn opens the chart store at dir and signs user in, the passphrase
// read as readPassphrase does; done locks the session and closes the
// store.
func signIn(ctx context.Context, dir, user string) (s chart.Session, done func(), err error) {
	w, err := openExisting(ctx, dir)
	if err != nil {
		return nil, nil, err
	}
	pass, err := readPassphrase(os.Stdin, os.Stderr, "Passphrase for "+user+": ", false)
	if err == nil {
		s, err = w.SignIn(ctx, user, pass)
	}
	if err != nil {
		w.Close()
		return nil, nil, err
	}
	return s, func() {
		s.Lock(context.WithoutCancel(ctx))
		w.Close()
	}, nil
}
